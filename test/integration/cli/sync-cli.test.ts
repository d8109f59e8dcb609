import * as fs from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { generateShoot } from '../../../fixtures/index.js';
import { cli } from '../../helpers/cli.js';
import { mountTmpfs } from '../../helpers/mounts.js';
import { isRoot, prerequisite } from '../../helpers/prereq.js';
import { tempDir } from '../../helpers/tmp.js';

/**
 * A folder on the root filesystem: the test's own when the temp folder is there, else (a CI
 * machine whose /tmp is a tmpfs) one made under `/`, removed after the test.
 */
async function onRootFs(dir: string): Promise<string> {
  const root = (await fs.stat('/')).dev;
  if ((await fs.stat(dir)).dev === root) return dir;
  const made = await fs.mkdtemp('/fieldbackup-test-');
  onTestFinished(() => fs.rm(made, { recursive: true, force: true }));
  return made;
}

async function backedUp(): Promise<{ dir: string; home: string; nas: string }> {
  const dir = await tempDir();
  const card = join(dir, 'EOS_R5_07');
  await generateShoot(card, { seed: 9, captures: 2, rawBytes: [20_000, 40_000], jpeg: true });
  await cli(['vault', 'init', join(dir, 'a')]);
  await cli(['vault', 'init', join(dir, 'b')]);
  const home = join(dir, 'home');
  const run = await cli([
    'ingest',
    card,
    '--vault',
    join(dir, 'a'),
    '--vault',
    join(dir, 'b'),
    '--home',
    home,
    '--json',
  ]);
  expect(run.code).toBe(0);
  const nas = join(dir, 'nas');
  await fs.mkdir(nas);
  return { dir, home, nas };
}

describe('fieldbackup sync and archive status', () => {
  it('--json: start first, done last with files, sent and bytesSent; a second run sends 0 bytes', async () => {
    const { home, nas } = await backedUp();
    const run = await cli([
      'sync',
      '--to',
      nas,
      '--init',
      '--allow-local',
      '--home',
      home,
      '--box-name',
      'studio',
      '--json',
    ]);
    expect(run.code).toBe(0);
    expect(run.events[0]).toMatchObject({
      event: 'start',
      files: 4,
      toSend: 4,
      box: { name: 'studio' },
    });
    expect(run.events.at(-1)).toMatchObject({ event: 'done', files: 4, sent: 4, exitCode: 0 });
    expect(run.events.at(-1)?.bytesSent).toBeGreaterThan(40_000);
    expect(
      run.stdout
        .trim()
        .split('\n')
        .every((l) => l.startsWith('{')),
    ).toBe(true);
    const again = await cli(['sync', '--to', nas, '--home', home, '--json']);
    expect(again.events.at(-1)).toMatchObject({
      event: 'done',
      files: 4,
      sent: 0,
      bytesSent: 0,
      exitCode: 0,
    });
  });

  it('on a terminal: what it does, and a verdict', async () => {
    const { home, nas } = await backedUp();
    const run = await cli(
      ['sync', '--to', nas, '--init', '--allow-local', '--home', home, '--box-name', 'studio'],
      {
        tty: true,
      },
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Syncing box "studio" to NAS vault "NAS"');
    expect(run.stdout).toContain('4 to send');
    expect(run.stdout).toContain('Synced: every file of this box is verified on the NAS.');
  });

  it('archive status lists what the NAS holds from which box, and what this box still lacks there', async () => {
    const { dir, home, nas } = await backedUp();
    await cli([
      'sync',
      '--to',
      nas,
      '--init',
      '--allow-local',
      '--home',
      home,
      '--box-name',
      'studio',
    ]);
    const status = await cli(['archive', 'status', '--to', nas, '--home', home]);
    expect(status.code).toBe(0);
    expect(status.stdout).toContain('4 objects');
    expect(status.stdout).toContain('studio (this box): 4 files');
    expect(status.stdout).toContain('EOS_R5_07: 4 files');
    expect(status.stdout).toContain('all 4 objects are on the NAS');

    const more = join(dir, 'EOS_R6');
    await generateShoot(more, {
      seed: 10,
      captures: 1,
      rawBytes: [10_000, 10_001],
      firstNumber: 9,
    });
    await cli(['ingest', more, '--vault', join(dir, 'a'), '--home', home]);
    const behind = await cli(['archive', 'status', '--to', nas, '--home', home, '--json']);
    expect(behind.code).toBe(1);
    expect(behind.events[0]).toMatchObject({
      event: 'status',
      objects: 4,
      thisBox: { objects: 5, missing: 1 },
    });
  });

  it('--config: the tiers come from the config file; a missing config file is exit 2', async () => {
    const { dir, home, nas } = await backedUp();
    // The first card's 4 files are standard; a second card goes into a custom tier "hero".
    const heroConfig = join(dir, 'hero.yaml');
    await fs.writeFile(
      heroConfig,
      'version: 1\ntiers:\n  default: hero\n  policies:\n    hero: { sync: 0, copies: 1 }\n',
    );
    const card = join(dir, 'EOS_R6');
    await generateShoot(card, {
      seed: 11,
      captures: 1,
      rawBytes: [10_000, 10_001],
      firstNumber: 9,
    });
    const hero = await cli([
      'ingest',
      card,
      '--vault',
      join(dir, 'a'),
      '--home',
      home,
      '--config',
      heroConfig,
    ]);
    expect(hero.code).toBe(0);
    const tiersSent = (run: Awaited<ReturnType<typeof cli>>): unknown[] =>
      run.events.filter((e) => e.event === 'file').map((e) => e.tier);

    const ranked = await cli([
      'sync',
      '--to',
      nas,
      '--init',
      '--allow-local',
      '--home',
      home,
      '--config',
      heroConfig,
      '--json',
    ]);
    expect(ranked.code).toBe(0);
    // Concurrent sends finish in any order; the order itself is tested with the API (sync.test.ts).
    expect(tiersSent(ranked).sort()).toEqual([
      'hero',
      'standard',
      'standard',
      'standard',
      'standard',
    ]);

    const missing = await cli([
      'sync',
      '--to',
      nas,
      '--home',
      home,
      '--config',
      join(dir, 'none.yaml'),
    ]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('none.yaml');
  });

  it('--init refuses a folder on the root filesystem (an unmounted share) unless --allow-local', async () => {
    const { dir, home } = await backedUp();
    const mountPoint = join(await onRootFs(dir), 'mnt', 'nas');
    await fs.mkdir(mountPoint, { recursive: true });
    expect((await fs.stat(mountPoint)).dev).toBe((await fs.stat('/')).dev);
    const run = await cli(['sync', '--to', mountPoint, '--init', '--home', home, '--json']);
    expect(run.code).toBe(1);
    expect(run.events.at(-1)).toMatchObject({
      event: 'error',
      code: 'E_VAULT_MISSING',
      fatal: true,
    });
    expect(String(run.events.at(-1)?.message)).toContain(mountPoint);
    expect(String(run.events.at(-1)?.message)).toContain('--allow-local');
    // Nothing was written into the box's own disk.
    expect(await fs.readdir(mountPoint)).toEqual([]);
    const human = await cli(['sync', '--to', mountPoint, '--init', '--home', home]);
    expect(human.stderr).toContain('is the share mounted?');

    const local = await cli([
      'sync',
      '--to',
      mountPoint,
      '--init',
      '--allow-local',
      '--home',
      home,
    ]);
    expect(local.code).toBe(0);
    // Once it is a vault, later syncs need neither option.
    expect((await cli(['sync', '--to', mountPoint, '--home', home])).code).toBe(0);
  });

  it.runIf(prerequisite('root (tmpfs mounts)', isRoot()))(
    '--init makes a vault on a mounted filesystem without --allow-local',
    async () => {
      const { dir, home } = await backedUp();
      const share = join(dir, 'share');
      await mountTmpfs(share, 64 * 1024 * 1024);
      const run = await cli(['sync', '--to', share, '--init', '--home', home, '--json']);
      expect(run.code).toBe(0);
      expect(run.events.at(-1)).toMatchObject({ event: 'done', sent: 4, exitCode: 0 });
    },
  );

  it('bad targets are usage errors (exit 2); a NAS folder that is not there is exit 1', async () => {
    const { dir, home, nas } = await backedUp();
    const noTo = await cli(['sync', '--home', home]);
    expect(noTo.code).toBe(2);
    expect(noTo.stderr).toContain('--to');
    const ftp = await cli(['sync', '--to', 'ftp://nas/photos', '--home', home]);
    expect(ftp).toMatchObject({ code: 2 });
    expect(ftp.stderr).toContain('not supported');
    const notVault = await cli(['sync', '--to', nas, '--home', home, '--json']);
    expect(notVault.code).toBe(2);
    expect(notVault.events.at(-1)).toMatchObject({
      event: 'error',
      code: 'E_NOT_A_VAULT',
      fatal: true,
    });
    const unmounted = await cli(['sync', '--to', join(dir, 'mnt', 'nas'), '--home', home]);
    expect(unmounted.code).toBe(1);
    expect(unmounted.stderr).toContain('is the share mounted');
  });
});
