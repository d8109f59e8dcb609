import * as fs from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { setupBox } from '../../helpers/box.js';
import { cli, ingestArgv, doneOf } from '../../helpers/cli.js';
import { photosOf } from '../../helpers/tree.js';

describe('fieldbackup status', () => {
  it('says when there was no ingest yet', async () => {
    const b = await setupBox({ captures: 1 });
    const run = await cli(['status', '--home', b.home]);
    expect(run).toMatchObject({ code: 0, stdout: 'No ingest yet.\n' });
    expect((await cli(['status', '--home', b.home, '--json'])).stdout).toBe('');
  });

  it('shows the latest job of each card per tier, one JSON object per job, or every job with --all', async () => {
    const b = await setupBox({ captures: 2, jpeg: true });
    await cli(ingestArgv(b));
    await cli(ingestArgv(b));
    const run = await cli(['status', '--home', b.home]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /^card \(folder, .*card\): job \S+, finished \d{4}-\d\d-\d\d \d\d:\d\d UTC\n/,
    );
    expect(run.stdout).toContain('  standard: 2 of 2 captures copied (');
    expect(run.stdout).toMatch(
      /verified on SSD-A 2, SSD-B 2\nEvery file has the verified copies its tier requires: the card is safe to format\.\n$/,
    );

    const json = await cli(['status', '--home', b.home, '--json']);
    expect(json.events).toHaveLength(1);
    expect(json.events[0]).toMatchObject({
      event: 'job',
      state: 'finished',
      source: { kind: 'folder', name: 'card' },
      vaults: [{ label: 'SSD-A' }, { label: 'SSD-B' }],
      tiers: [
        { tier: 'standard', total: { captures: 2, files: 4 }, copied: { captures: 2, files: 4 } },
      ],
      short: [],
      notCopied: [],
      safeToFormat: true,
    });
    const all = await cli(['status', '--home', b.home, '--json', '--all']);
    expect(all.events).toHaveLength(2);
    const one = await cli([
      'status',
      '--home',
      b.home,
      '--json',
      '--job',
      String(all.events[1]?.jobId),
    ]);
    expect(one.events.map((e) => e.jobId)).toEqual([all.events[1]?.jobId]);
    expect(
      (await cli(['status', '--home', b.home, '--json', '--all', '--limit', '1'])).events,
    ).toHaveLength(1);
  });

  it('refuses an unknown job or a bad --limit with exit 2', async () => {
    const b = await setupBox({ captures: 1 });
    const job = await cli(['status', '--home', b.home, '--job', 'nope']);
    expect(job).toMatchObject({ code: 2, stderr: 'fieldbackup: no job nope in the catalog\n' });
    const limit = await cli(['status', '--home', b.home, '--limit', '0']);
    expect(limit).toMatchObject({
      code: 2,
      stderr: 'fieldbackup: --limit must be a whole number ≥ 1, not 0\n',
    });
  });
});

describe('fieldbackup ingest --config', () => {
  it('uses config.yaml in the catalog folder when no --config is given', async () => {
    const b = await setupBox({ captures: 2, jpeg: false });
    await fs.mkdir(b.home, { recursive: true });
    await fs.writeFile(
      join(b.home, 'config.yaml'),
      'version: 1\ntiers:\n  policies:\n    standard: { copies: 1 }\n',
    );
    const run = await cli(ingestArgv(b, '--json'));
    expect(run.code).toBe(0);
    expect(doneOf(run)).toMatchObject({ copied: 2, safeToFormat: true });
    expect((await photosOf(b.vaultB)).size).toBe(0);
  });

  it('stops with exit 2 and names the file and field of a bad config, copying nothing', async () => {
    const b = await setupBox({ captures: 1, jpeg: false });
    const config = join(b.dir, 'bad.yaml');
    await fs.writeFile(
      config,
      'version: 1\ntiers:\n  rules:\n    - { tier: critical, minRating: 9 }\n',
    );
    const run = await cli(ingestArgv(b, '--config', config));
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      new RegExp(`^fieldbackup: ${config}: field "tiers\\.rules\\.0\\.minRating": `),
    );
    expect((await photosOf(b.vaultA)).size).toBe(0);

    const missing = await cli(ingestArgv(b, '--config', join(b.dir, 'none.yaml'), '--json'));
    expect(missing.code).toBe(2);
    expect(missing.events[0]).toMatchObject({ event: 'error', code: 'E_CONFIG', fatal: true });
  });

  it('prints the tiers, the files short of a copy and the verdict on a terminal', async () => {
    const b = await setupBox({ captures: 1, jpeg: false });
    const gone = join(b.dir, 'unplugged');
    const run = await cli(
      ['ingest', b.card, '--vault', b.vaultA, '--vault', gone, '--home', b.home],
      { tty: true },
    );
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('  standard: 0 of 1 capture copied (0 B of ');
    expect(run.stdout).toContain(
      'Fewer copies than required (1 file):\n' +
        `  DCIM/100CANON/IMG_0001.CR2 (standard): single copy, on SSD-A: ${gone} is unavailable\n` +
        'NOT safe to format: keep the card. 1 file on a single copy.\n',
    );
  });
});
