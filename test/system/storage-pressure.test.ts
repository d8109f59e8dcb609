import * as fs from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateShoot } from '../../fixtures/index.js';
import { initVault } from '../../src/index.js';
import { cli, doneOf } from '../helpers/cli.js';
import { mountTmpfs, remount } from '../helpers/mounts.js';
import { isRoot, prerequisite } from '../helpers/prereq.js';
import { tempDir } from '../helpers/tmp.js';
import { photosOf } from '../helpers/tree.js';

const root = prerequisite('root, for tmpfs mounts', isRoot());
const MB = 1_000_000;

/** critical: PICKS/, bulk: BULK/ (waits when low), everything else standard (one copy when low). */
const CONFIG = `version: 1
ingest:
  concurrency: 1
tiers:
  policies:
    standard: { reserve: 2 MB, whenLow: one-copy }
    bulk: { reserve: 2 MB, whenLow: wait }
  rules:
    - { tier: critical, folder: PICKS }
    - { tier: bulk, folder: BULK }
`;

interface Box {
  readonly dir: string;
  readonly card: string;
  readonly big: string;
  readonly small: string;
  readonly home: string;
  readonly config: string;
}

/** A card with 2 picks, 4 standard and 2 bulk files of exactly 1 MB; BIG a 64 MiB tmpfs, SMALL a 5 MiB one. */
async function box(): Promise<Box> {
  const dir = await tempDir();
  const card = join(dir, 'card');
  const shoot = { seed: 4, rawBytes: [MB, MB + 1] as const, jpeg: false };
  await generateShoot(card, { ...shoot, folder: 'PICKS', captures: 2 });
  await generateShoot(card, { ...shoot, folder: 'DCIM', captures: 4 });
  await generateShoot(card, { ...shoot, folder: 'BULK', captures: 2 });
  const big = join(dir, 'big');
  const small = join(dir, 'small');
  await mountTmpfs(big, 64 * 1024 * 1024);
  await initVault(big, { label: 'BIG' });
  await mountTmpfs(small, 5 * 1024 * 1024);
  await initVault(small, { label: 'SMALL' });
  const config = join(dir, 'config.yaml');
  await fs.writeFile(config, CONFIG);
  return { dir, card, big, small, home: join(dir, 'home'), config };
}

/** The file events in order: "tier path [vaults without a copy]". */
const secured = (events: readonly Record<string, unknown>[]): string[] =>
  events
    .filter((e) => e.event === 'file')
    .map((e) => `${String(e.tier)} ${String(e.path)} ${JSON.stringify(e.missing)}`);

const ingestArgs = (b: Box, source = b.card): string[] => [
  'ingest',
  source,
  '--vault',
  b.big,
  '--vault',
  b.small,
  '--home',
  b.home,
  '--config',
  b.config,
];

describe.runIf(root)('storage pressure on a real small filesystem', () => {
  it('gives critical both copies, standard one copy below the reserve, and keeps bulk waiting on the card', async () => {
    const b = await box();
    const run = await cli([...ingestArgs(b), '--json']);
    expect(run.code).toBe(1);

    // Secured in tier order: both picks, then standard; bulk never gets a file event.
    expect(secured(run.events)).toEqual([
      'critical PICKS/IMG_0001.CR2 []',
      'critical PICKS/IMG_0002.CR2 []',
      'standard DCIM/IMG_0001.CR2 []',
      'standard DCIM/IMG_0002.CR2 ["SMALL"]',
      'standard DCIM/IMG_0003.CR2 ["SMALL"]',
      'standard DCIM/IMG_0004.CR2 ["SMALL"]',
    ]);
    const problems = run.events.filter((e) => e.event === 'warning' || e.event === 'error');
    expect(problems).toEqual([
      {
        event: 'warning',
        code: 'E_LOW_SPACE',
        message:
          'vault SMALL is below the 2.0 MB reserve for standard files: standard files are copied only to vaults with room; keep the card',
        vault: 'SMALL',
      },
      {
        event: 'warning',
        code: 'E_LOW_SPACE',
        message: 'not copied, waiting for space: SMALL is below the 2.0 MB reserve for bulk files',
        path: 'BULK/IMG_0001.CR2',
      },
      {
        event: 'warning',
        code: 'E_LOW_SPACE',
        message: 'not copied, waiting for space: SMALL is below the 2.0 MB reserve for bulk files',
        path: 'BULK/IMG_0002.CR2',
      },
    ]);
    const done = doneOf(run);
    expect(done).toMatchObject({
      event: 'done',
      files: 8,
      copied: 6,
      failed: 0,
      degraded: 3,
      waiting: 2,
      safeToFormat: false,
      exitCode: 1,
    });
    expect(done?.short).toEqual(
      [2, 3, 4].map((n) => ({
        path: `DCIM/IMG_000${n}.CR2`,
        tier: 'standard',
        required: 2,
        on: ['BIG'],
        reason: 'SMALL is below the 2.0 MB reserve for standard files',
      })),
    );
    expect(done?.notCopied).toEqual(
      [1, 2].map((n) => ({
        path: `BULK/IMG_000${n}.CR2`,
        tier: 'bulk',
        state: 'waiting',
        reason: 'waiting for space: SMALL is below the 2.0 MB reserve for bulk files',
      })),
    );
    // What is on the disks matches: SMALL kept 2 MB free for critical files; nothing partial anywhere.
    expect((await photosOf(b.big)).size).toBe(6);
    expect((await photosOf(b.small)).size).toBe(3);
    expect((await fs.statfs(b.small)).bavail * 4096).toBeGreaterThanOrEqual(2 * MB);
    expect(await fs.readdir(join(b.small, '.fieldbackup', 'tmp'))).toEqual([]);

    // The status persisted in the catalog says the same, in words, after the process is gone.
    const status = await cli(['status', '--home', b.home]);
    expect(status.code).toBe(0);
    expect(status.stdout.split('\n').slice(1)).toEqual([
      '  critical: 2 of 2 captures copied (2.0 MB of 2.0 MB); verified on BIG 2, SMALL 2',
      '  standard: 1 of 4 captures copied (1.0 MB of 4.0 MB), 3 short of a copy; verified on BIG 4, SMALL 1',
      '  bulk: 0 of 2 captures copied (0 B of 2.0 MB), 2 not copied; verified on BIG 0, SMALL 0',
      'Fewer copies than required (3 files):',
      '  DCIM/IMG_0002.CR2 (standard): single copy, on BIG: SMALL is below the 2.0 MB reserve for standard files',
      '  DCIM/IMG_0003.CR2 (standard): single copy, on BIG: SMALL is below the 2.0 MB reserve for standard files',
      '  DCIM/IMG_0004.CR2 (standard): single copy, on BIG: SMALL is below the 2.0 MB reserve for standard files',
      'Not copied (2 files):',
      '  BULK/IMG_0001.CR2 (bulk): waiting for space: SMALL is below the 2.0 MB reserve for bulk files',
      '  BULK/IMG_0002.CR2 (bulk): waiting for space: SMALL is below the 2.0 MB reserve for bulk files',
      'NOT safe to format: keep the card. 3 files on a single copy, 2 files not copied (waiting for space).',
      '',
    ]);

    // Room again (the SSD grows here; on the box: files moved off it): the same card, inserted again,
    // gets what it lacked — the second copies, and the bulk files that waited — and nothing twice.
    remount(b.small, `size=${16 * 1024 * 1024}`);
    const again = await cli([...ingestArgs(b), '--json']);
    expect(again.code).toBe(0);
    expect(doneOf(again)).toMatchObject({
      copied: 5,
      unchanged: 3,
      waiting: 0,
      bytesWritten: 7 * MB,
      safeToFormat: true,
      short: [],
      notCopied: [],
    });
    expect((await photosOf(b.small)).size).toBe(8);
    expect((await cli(['status', '--home', b.home])).stdout).toMatch(
      /the card is safe to format\.\n$/,
    );
  });

  it('still gives a critical shot both copies below the reserve, and says which one got a single copy once the vault is full', async () => {
    const b = await box();
    expect((await cli(ingestArgs(b))).code).toBe(1);
    // SMALL now has a little over 2 MB free: room for two more 1 MB picks, not three.
    const second = join(b.dir, 'card2');
    await generateShoot(second, {
      seed: 5,
      rawBytes: [MB, MB + 1],
      jpeg: false,
      folder: 'PICKS',
      captures: 3,
    });
    const run = await cli([...ingestArgs(b, second), '--json']);
    expect(run.code).toBe(1);
    expect(secured(run.events)).toEqual([
      'critical PICKS/IMG_0001.CR2 []',
      'critical PICKS/IMG_0002.CR2 []',
      'critical PICKS/IMG_0003.CR2 ["SMALL"]',
    ]);
    expect(run.events.filter((e) => e.event === 'warning')).toEqual([
      {
        event: 'warning',
        code: 'E_LOW_SPACE',
        message:
          'vault SMALL is full: critical files are copied only to vaults with room; keep the card',
        vault: 'SMALL',
      },
    ]);
    expect(doneOf(run)).toMatchObject({
      copied: 3,
      degraded: 1,
      safeToFormat: false,
      short: [
        { path: 'PICKS/IMG_0003.CR2', tier: 'critical', on: ['BIG'], reason: 'SMALL is full' },
      ],
      notCopied: [],
    });
    const human = await cli(['status', '--home', b.home, '--limit', '1']);
    expect(human.stdout).toContain(
      '  PICKS/IMG_0003.CR2 (critical): single copy, on BIG: SMALL is full\n' +
        'NOT safe to format: keep the card. 1 file on a single copy.\n',
    );
  });

  it('keeps the reserve with two files in flight', async () => {
    const b = await box();
    await fs.writeFile(b.config, CONFIG.replace('concurrency: 1', 'concurrency: 2'));
    const run = await cli([...ingestArgs(b), '--json']);
    const done = doneOf(run);
    expect(done).toMatchObject({ copied: 6, waiting: 2, degraded: 3, exitCode: 1 });
    const onSmall = [...(await photosOf(b.small)).keys()];
    expect(onSmall.filter((p) => p.includes('PICKS'))).toHaveLength(2);
    expect(onSmall.filter((p) => p.includes('DCIM'))).toHaveLength(1);
    expect((await fs.statfs(b.small)).bavail * 4096).toBeGreaterThanOrEqual(2 * MB);
  });

  it('keeps a reserve given as a share of the vault', async () => {
    const b = await box();
    await fs.writeFile(
      b.config,
      CONFIG.replace('reserve: 2 MB, whenLow: one-copy', 'reserve: 40%'),
    );
    const run = await cli([...ingestArgs(b), '--json']);
    expect(run.events.find((e) => e.event === 'warning')).toMatchObject({
      message:
        'vault SMALL is below the 40% reserve for standard files: standard files are copied only to vaults with room; keep the card',
    });
    expect(doneOf(run)).toMatchObject({ degraded: 3, waiting: 2 });
    const { bavail, bsize, blocks } = await fs.statfs(b.small);
    expect(bavail * bsize).toBeGreaterThanOrEqual(0.4 * blocks * bsize);
  });
});
