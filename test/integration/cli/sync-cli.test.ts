import * as fs from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateShoot } from '../../../fixtures/index.js';
import { cli } from '../../helpers/cli.js';
import { tempDir } from '../../helpers/tmp.js';

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
    const run = await cli(['sync', '--to', nas, '--init', '--home', home, '--box-name', 'studio'], {
      tty: true,
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Syncing box "studio" to NAS vault "NAS"');
    expect(run.stdout).toContain('4 to send');
    expect(run.stdout).toContain('Synced: every file of this box is verified on the NAS.');
  });

  it('archive status lists what the NAS holds from which box, and what this box still lacks there', async () => {
    const { dir, home, nas } = await backedUp();
    await cli(['sync', '--to', nas, '--init', '--home', home, '--box-name', 'studio']);
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
