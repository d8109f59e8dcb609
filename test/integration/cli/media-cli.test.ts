import * as fs from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateHostileSet, generateMediaSet } from '../../../fixtures/index.js';
import { cli } from '../../helpers/cli.js';
import * as os from 'node:os';
import { afterAll } from 'vitest';

let dir: string;
let home: string;
let ingestRun: Awaited<ReturnType<typeof cli>>;
const a = (): string => join(dir, 'a');
const b = (): string => join(dir, 'b');

beforeAll(async () => {
  dir = await fs.mkdtemp(join(os.tmpdir(), 'fb-media-cli-'));
  home = join(dir, 'home');
  const card = join(dir, 'card');
  await generateMediaSet(card, { only: ['CR2', 'JPEG', 'XMP', 'WAV', 'NEF', 'M2TS'] });
  const hostile = join(dir, 'hostile');
  await generateHostileSet(hostile);
  await fs.mkdir(join(card, 'DCIM/100NIKON'), { recursive: true });
  await fs.copyFile(
    join(hostile, 'DCIM/100NIKON/EMPTY_003.NEF'),
    join(card, 'DCIM/100NIKON/EMPTY_003.NEF'),
  );
  await cli(['vault', 'init', a(), '--label', 'SSD-A']);
  await cli(['vault', 'init', b(), '--label', 'SSD-B']);
  ingestRun = await cli(['ingest', card, '--vault', a(), '--vault', b(), '--home', home, '--json']);
}, 120_000);
afterAll(async () => fs.rm(dir, { recursive: true, force: true }));

describe('fieldbackup ingest with the metadata index', () => {
  it('reports the metadata of each file after the copies, and flags the unreadable one without failing', () => {
    expect(ingestRun.code).toBe(0);
    const events = ingestRun.events;
    const done = events.findIndex((e) => e.event === 'done');
    expect(events.at(-2)).toMatchObject({ event: 'indexed', files: 7, ok: 6, unreadable: 1 });
    // Stacks are looked for after the index.
    expect(events.at(-1)).toMatchObject({ event: 'stacks' });
    expect(events.filter((e) => e.event === 'metadata')).toHaveLength(7);
    expect(events.find((e) => e.event === 'metadata' && e.status === 'unreadable')).toMatchObject({
      path: 'DCIM/100NIKON/EMPTY_003.NEF',
      reason: 'File is empty',
    });
    expect(done).toBeGreaterThan(0);
  });

  it('prints the unreadable file as a warning on a terminal', async () => {
    const card = join(dir, 'card2');
    await fs.mkdir(card);
    await fs.writeFile(join(card, 'broken.CR2'), '');
    const run = await cli(['ingest', card, '--vault', a(), '--vault', b(), '--home', home]);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(
      'warning: broken.CR2: metadata unreadable (File is empty); the file is backed up byte-exact',
    );
    expect(run.stdout).toMatch(
      /Indexed 1 files in 1 captures: 0 ok, 0 with warnings, 1 unreadable/,
    );
  });
});

describe('fieldbackup search', () => {
  it('prints matching captures with their files, and a count', async () => {
    const run = await cli(['search', '--home', home, 'rating>=4', 'format:CR2']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Canon EOS 5D Mark IV  ★★★★★  Red');
    expect(run.stdout).toContain(
      'card: DCIM/100CANON/IMG_0001.CR2, DCIM/100CANON/IMG_0001.JPG, DCIM/100CANON/IMG_0001.WAV, DCIM/100CANON/IMG_0001.XMP  [critical]',
    );
    expect(run.stdout).toMatch(/^1 captures in [\d.]+ ms$/m);
  });

  it('--json: one object per capture, then done with the total; --limit pages', async () => {
    const run = await cli(['search', '--home', home, '--json', '--limit', '1', '']);
    expect(run.code).toBe(0);
    expect(run.events.filter((e) => e.event === 'capture')).toHaveLength(1);
    expect(run.events.at(-1)).toMatchObject({ event: 'done', total: 5, shown: 1 });
    expect(run.events[0]).toMatchObject({ event: 'capture', source: { name: 'card' } });
    expect(Array.isArray(run.events[0]!.files)).toBe(true);
    expect(typeof run.events[0]!.metadata).toBe('object');
  });

  it('shows the unreadable file with its reason, and finds nothing without failing', async () => {
    const run = await cli(['search', '--home', home, 'meta:unreadable']);
    expect(run.stdout).toContain('EMPTY_003.NEF: metadata unreadable (File is empty)');
    const none = await cli(['search', '--home', home, 'keyword:nothing-like-this']);
    expect(none.code).toBe(0);
    expect(none.stdout).toMatch(/^0 captures/m);
  });

  it('exits 2 on a bad query and points at the problem', async () => {
    const run = await cli(['search', '--home', home, 'rating>=4 AND (label:red OR']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      'expected a search term, found the end of the query (at position 28)',
    );
    expect(run.stderr).toContain(`  rating>=4 AND (label:red OR\n  ${' '.repeat(27)}^`);
    expect((await cli(['search', '--home', home, '--limit', 'all', 'eagle'])).code).toBe(2);
    const json = await cli(['search', '--home', home, '--json', 'nope:x']);
    expect(json.code).toBe(2);
    expect(json.events[0]).toMatchObject({
      event: 'error',
      code: 'E_QUERY',
      field: 'query',
      position: 0,
      fatal: true,
    });
  });
});

describe('fieldbackup restore', () => {
  it('restores matching captures with their sidecars, verified, and says so', async () => {
    const to = join(dir, 'restored');
    const run = await cli(['restore', '--home', home, '--to', to, '--vault', b(), 'format:CR2']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`Restoring 1 captures (4 files`);
    expect(run.stdout).toContain('card/DCIM/100CANON/IMG_0001.XMP ← SSD-B');
    expect(run.stdout).toContain(
      'Every restored file matches its xxh128 and its catalogued metadata.',
    );
    expect((await fs.readdir(join(to, 'card/DCIM/100CANON'))).sort()).toEqual([
      'IMG_0001.CR2',
      'IMG_0001.JPG',
      'IMG_0001.WAV',
      'IMG_0001.XMP',
    ]);
    const again = await cli(['restore', '--home', home, '--to', to, '--json', 'format:CR2']);
    expect(
      again.events.filter((e) => e.event === 'file').every((e) => e.outcome === 'present'),
    ).toBe(true);
    expect(again.events.at(-1)).toMatchObject({
      event: 'done',
      present: 4,
      restored: 0,
      exitCode: 0,
    });
  });

  it('exits 1 when a file cannot be restored, after restoring the rest', async () => {
    const to = join(dir, 'partial');
    const run = await cli(['restore', '--home', home, '--to', to, '--json', 'format:NEF']);
    expect(run.code).toBe(0);
    for (const v of [a(), b()])
      for (const f of await fs.readdir(join(v, 'Photos'), { recursive: true }))
        if (String(f).endsWith('DSC_0007.NEF')) await fs.rm(join(v, 'Photos', String(f)));
    const again = await cli([
      'restore',
      '--home',
      home,
      '--to',
      join(dir, 'partial2'),
      'format:NEF OR format:MTS',
    ]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/error: DCIM\/100NIKON\/DSC_0007\.NEF: no good copy/);
    expect(again.stdout).toMatch(/1 restored, 0 already there, 1 failed/);
  });

  it('exits 2 for a missing --to, a bad --layout or a bad query', async () => {
    expect((await cli(['restore', '--home', home, 'rating>=4'])).code).toBe(2);
    expect(
      (await cli(['restore', '--home', home, '--to', join(dir, 'x'), '--layout', 'flat'])).code,
    ).toBe(2);
    expect((await cli(['restore', '--home', home, '--to', join(dir, 'x'), 'rating>'])).code).toBe(
      2,
    );
  });
});
