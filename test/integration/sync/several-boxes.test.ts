import * as fs from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it, onTestFinished } from 'vitest';
import { generateShoot } from '../../../fixtures/index.js';
import { hashBytes } from '../../../src/platform/index.js';
import { archiveStatus } from '../../../src/sync/index.js';
import { createExifTool, ExifToolPlanTagReader } from '../../../src/index.js';
import {
  makeBox,
  nasArchive,
  nasPhotos,
  writeSidecar,
  type TestBox,
} from '../../helpers/sync-boxes.js';
import { tempDir } from '../../helpers/tmp.js';

async function two(dir: string): Promise<[TestBox, TestBox, string]> {
  const a = await makeBox(dir, 'box-a');
  const b = await makeBox(dir, 'laptop');
  onTestFinished(() => a.close());
  onTestFinished(() => b.close());
  const nas = join(dir, 'nas');
  await fs.mkdir(nas);
  return [a, b, nas];
}

// Sidecars take their capture's time (from its JPEG) the way the CLI's ingest does, so versions meet at one path.
const exiftool = createExifTool();
const tags = new ExifToolPlanTagReader(exiftool);
afterAll(() => exiftool.end());

const T1 = new Date(Date.UTC(2026, 10, 21, 9, 0, 0));
const T2 = new Date(Date.UTC(2026, 10, 22, 18, 30, 0));

describe('several boxes syncing into one NAS', () => {
  it('stores each object once; the second box sends only what the first did not', async () => {
    const dir = await tempDir();
    const [a, b, nas] = await two(dir);
    const card = join(dir, 'EOS_R5_07');
    await generateShoot(card, { seed: 7, captures: 4, rawBytes: [30_000, 60_000], jpeg: true });
    // The same card backed up on both (a copy of it on the laptop), plus one more file on the laptop.
    const copy = join(dir, 'laptop-import', 'EOS_R5_07');
    await fs.cp(card, copy, { recursive: true, preserveTimestamps: true });
    await generateShoot(copy, {
      seed: 8,
      captures: 1,
      rawBytes: [30_000, 30_001],
      firstNumber: 50,
    });
    await a.ingest(card);
    await b.ingest(copy);

    expect((await a.sync(nas)).done).toMatchObject({ sent: 8, exitCode: 0 });
    const second = await b.sync(nas);
    expect(second.done).toMatchObject({ files: 9, sent: 1, present: 8, exitCode: 0 });
    const photos = await nasPhotos(nas);
    expect(photos.size).toBe(9);
    expect(new Set([...photos.values()].map((f) => f.hash)).size).toBe(9);

    const archive = await nasArchive(nas);
    expect(archive.boxes.map((x) => [x.name, x.files.size]).sort()).toEqual([
      ['box-a', 8],
      ['laptop', 9],
    ]);
    const status = await archiveStatus({ catalog: b.catalog, to: nas });
    expect(status).toMatchObject({
      objects: 9,
      conflictCopies: 0,
      thisBox: { name: 'laptop', objects: 9, missing: 0 },
    });
    expect(status.boxes.find((x) => x.thisBox)?.sources.map((s) => [s.name, s.files])).toEqual([
      ['EOS_R5_07', 9],
    ]);
    expect(status.bytes).toBe([...photos.values()].reduce((n, f) => n + f.size, 0));
  });

  it("different shots at one path: the later box's file gets a new name", async () => {
    const dir = await tempDir();
    const [a, b, nas] = await two(dir);
    // Two bodies, both cards labelled EOS_DIGITAL, the same file names on the same day.
    const cardA = join(dir, 'a', 'EOS_DIGITAL');
    const cardB = join(dir, 'b', 'EOS_DIGITAL');
    await generateShoot(cardA, { seed: 11, captures: 2, rawBytes: [20_000, 30_000] });
    await generateShoot(cardB, { seed: 12, captures: 2, rawBytes: [20_000, 30_000] });
    await a.ingest(cardA);
    await b.ingest(cardB);
    await a.sync(nas);
    await b.sync(nas);
    const names = [...(await nasPhotos(nas)).keys()].map((p) => p.split('/').at(-1)).sort();
    expect(names).toEqual(['IMG_0001.CR2', 'IMG_0001_2.CR2', 'IMG_0002.CR2', 'IMG_0002_2.CR2']);
    const archive = await nasArchive(nas);
    for (const box of archive.boxes) {
      for (const hash of box.files.values()) expect(archive.object(hash)).toBeDefined();
    }
  });

  for (const order of ['older first', 'newer first'] as const) {
    it(`a sidecar edited in two places keeps both: the newest is current (${order})`, async () => {
      const dir = await tempDir();
      const [a, b, nas] = await two(dir);
      const cardA = join(dir, 'a', 'EOS_R5_07');
      await generateShoot(cardA, { seed: 21, captures: 1, rawBytes: [20_000, 20_001], jpeg: true });
      const cardB = join(dir, 'b', 'EOS_R5_07');
      await fs.cp(cardA, cardB, { recursive: true, preserveTimestamps: true });
      await writeSidecar(join(cardA, 'DCIM/100CANON/IMG_0001.xmp'), '+0.3', T1);
      await writeSidecar(join(cardB, 'DCIM/100CANON/IMG_0001.xmp'), '+1.0', T2);
      await a.ingest(cardA, { tags });
      await b.ingest(cardB, { tags });
      const [first, second] = order === 'older first' ? [a, b] : [b, a];
      await first.sync(nas);
      const { events } = await second.sync(nas);
      expect(events.filter((e) => e.event === 'conflict')).toHaveLength(1);

      const photos = await nasPhotos(nas);
      const xmps = [...photos.keys()].filter((p) => p.endsWith('.xmp')).sort();
      expect(xmps).toHaveLength(2);
      const current = xmps.find((p) => p.endsWith('/IMG_0001.xmp'))!;
      const kept = xmps.find((p) => p !== current)!;
      expect(await fs.readFile(join(nas, 'Photos', current), 'utf8')).toContain('+1.0');
      expect(await fs.readFile(join(nas, 'Photos', kept), 'utf8')).toContain('+0.3');
      expect(kept.split('/').at(-1)).toBe('IMG_0001.conflict-20261121-090000-box-a.xmp');
      // The shared RAW and JPEG are stored once; the union of the manifests knows where everything is.
      expect(photos.size).toBe(4); // CR2, JPG, two XMP versions
      const archive = await nasArchive(nas);
      for (const [path, f] of photos) expect(archive.object(f.hash)?.path).toBe(path);
      const status = await archiveStatus({ catalog: a.catalog, to: nas });
      expect(status.conflictCopies).toBe(1);
    });
  }

  it('a sidecar edited again on the same box after a sync: the edit becomes current, the old one is kept', async () => {
    const dir = await tempDir();
    const [a, , nas] = await two(dir);
    const card = join(dir, 'laptop-folder');
    await generateShoot(card, { seed: 31, captures: 1, rawBytes: [20_000, 20_001], jpeg: true });
    const xmp = join(card, 'DCIM/100CANON/IMG_0001.xmp');
    await writeSidecar(xmp, '+0.0', T1);
    await a.ingest(card, { tags });
    await a.sync(nas);
    await writeSidecar(xmp, '+0.7', T2);
    await a.ingest(card, { tags });
    const { done } = await a.sync(nas);
    expect(done).toMatchObject({ sent: 1, conflicts: 1, exitCode: 0 });
    const photos = await nasPhotos(nas);
    const base = [...photos.keys()].find((p) => p.endsWith('/IMG_0001.xmp'))!;
    expect(await fs.readFile(join(nas, 'Photos', base), 'utf8')).toContain('+0.7');
    expect(
      [...photos.keys()].some((p) => p.endsWith('IMG_0001.conflict-20261121-090000-box-a.xmp')),
    ).toBe(true);
    expect(photos.get(base)?.hash).toBe(hashBytes(await fs.readFile(xmp)));
  });

  it('a box that had two versions before its first sync still puts the newest at the path', async () => {
    const dir = await tempDir();
    const [a, , nas] = await two(dir);
    const card = join(dir, 'laptop-folder');
    await generateShoot(card, { seed: 32, captures: 1, rawBytes: [20_000, 20_001], jpeg: true });
    const xmp = join(card, 'DCIM/100CANON/IMG_0001.xmp');
    await writeSidecar(xmp, '+0.0', T1);
    await a.ingest(card, { tags });
    await writeSidecar(xmp, '+2.0', T2);
    await a.ingest(card, { tags });
    await a.sync(nas);
    const photos = await nasPhotos(nas);
    const base = [...photos.keys()].find((p) => p.endsWith('/IMG_0001.xmp'))!;
    expect(await fs.readFile(join(nas, 'Photos', base), 'utf8')).toContain('+2.0');
    expect([...photos.keys()].filter((p) => p.includes('.conflict-'))).toHaveLength(1);
  });
});
