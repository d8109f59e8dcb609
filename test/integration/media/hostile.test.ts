import { createHash } from 'node:crypto';
import * as fs from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureIdOf, MetadataStore, restore, search, type SourceId } from '../../../src/index.js';
import { captureKeyOf } from '../../../src/ingest/plan.js';
import { mediaBox, type MediaBox } from '../../helpers/media-box.js';
import { snapshotTree } from '../../helpers/tree.js';

let box: MediaBox;
const tz = process.env.TZ;

beforeAll(async () => {
  // Files without a date are placed by their mtime, read in the box's time zone.
  process.env.TZ = 'UTC';
  box = await mediaBox({ media: false, hostile: true });
}, 120_000);
afterAll(async () => {
  if (tz === undefined) delete process.env.TZ;
  else process.env.TZ = tz;
  await box.close();
});

const sourceId = (): SourceId => [...box.catalog.allJobs()][0]!.sourceId;
const hashOf = (relPath: string) => box.catalog.file(sourceId(), relPath)!.hash;
const record = (relPath: string) => new MetadataStore(box.catalog).get(hashOf(relPath))!;
const found = (query: string): string[] =>
  search(box.catalog, query, { limit: 0 }).captures.map((c) => c.captureKey);
const key = (relPath: string): string => captureKeyOf(relPath);
const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

describe('hostile files', () => {
  it('are all backed up byte-exact on both vaults, and the ingest goes through', async () => {
    expect(box.done).toMatchObject({ files: box.hostile.length, failed: 0, exitCode: 0 });
    for (const vault of [box.vaultA, box.vaultB]) {
      const tree = await snapshotTree(join(vault, 'Photos'));
      const held = new Set([...tree.values()].map((e) => e.sha256));
      for (const f of box.hostile)
        expect({
          file: f.relPath,
          held: held.has(sha(await fs.readFile(join(box.card, f.relPath)))),
        }).toEqual({ file: f.relPath, held: true });
    }
  });

  it('flag what ExifTool cannot read, with the reason, and find it by meta:', () => {
    expect(record('DCIM/100NIKON/EMPTY_003.NEF')).toMatchObject({
      status: 'unreadable',
      reason: 'File is empty',
      format: 'unknown',
    });
    expect(record('DCIM/100NIKON/TRUNC_001.NEF')).toMatchObject({
      status: 'partial',
      format: 'NEF',
      metadata: { make: 'NIKON CORPORATION' },
    });
    expect(record('DCIM/100NIKON/TRUNC_001.NEF').warnings.length).toBeGreaterThan(0);
    expect(found('meta:unreadable')).toEqual([key('DCIM/100NIKON/EMPTY_003.NEF')]);
    expect(found('meta:partial')).toEqual([key('DCIM/100NIKON/TRUNC_001.NEF')]);
    const events = box.indexEvents.filter(
      (e) => e.event === 'metadata' && e.status === 'unreadable',
    );
    expect(events).toEqual([
      expect.objectContaining({ path: 'DCIM/100NIKON/EMPTY_003.NEF', reason: 'File is empty' }),
    ]);
  });

  it('keeps what a corrupt maker note leaves readable (the EXIF), without the maker-note fields', () => {
    const r = record('DCIM/100NIKON/CORRUPT_004.NEF');
    const intact = record('DCIM/100NIKON/ANTI_E_010.JPG');
    expect(intact.metadata.driveMode).toBe('single');
    expect(r.metadata.driveMode).toBeUndefined();
    expect(r.metadata).toMatchObject({
      make: 'NIKON CORPORATION',
      model: 'NIKON Z 9',
      iso: 400,
      lens: 'NIKKOR Z 24-120mm f/4 S',
    });
    expect(found('camera:"NIKON Z 9" lens:24-120mm')).toContain(
      key('DCIM/100NIKON/CORRUPT_004.NEF'),
    );
  });

  it('indexes unicode keywords and titles, and very long keywords by their start', () => {
    const unicode = key('DCIM/100NIKON/UNICODE_005.JPG');
    for (const q of [
      'keyword:Löwe',
      'keyword:lowe',
      '長谷寺',
      'keyword:Ελιά',
      'keyword:ثعلب',
      'keyword:"🦁 lion"',
      'keyword:angstrom',
      'саванной',
      'cafe creme',
    ])
      expect({ q, hits: found(q) }).toEqual({ q, hits: [unicode] });
    const long = record('DCIM/100NIKON/LONG_006.JPG');
    expect(long.metadata.keywords?.[0]).toHaveLength(5012);
    expect(found('keyword:longkeyword')).toEqual([key('DCIM/100NIKON/LONG_006.JPG')]);
  });

  it('reads a sidecar with a ≥ 1 MB XMP packet whole, and stores its tags compressed', () => {
    const huge = record('DCIM/100NIKON/HUGE_007.XMP');
    expect(huge.status).toBe('ok');
    expect(huge.tagBytes).toBeGreaterThan(1_000_000);
    expect(huge.metadata.keywords).toHaveLength(20_000);
    expect(huge.metadata.history).toHaveLength(500);
    expect(found('keyword:keyword-19999-from-a-very-long-controlled-vocabulary')).toEqual([
      key('DCIM/100NIKON/HUGE_007.XMP'),
    ]);
  });

  it('handles GPS at the poles, across the antimeridian and in the western and southern hemispheres', () => {
    expect(record('DCIM/100NIKON/POLE_N_008.JPG').metadata.gps).toEqual({
      lat: 90,
      lon: 0,
      alt: -12,
    });
    expect(record('DCIM/100NIKON/POLE_S_009.JPG').metadata.gps).toEqual({
      lat: -90,
      lon: 135,
      alt: -12,
    });
    expect(found('near:90,-45,1km')).toEqual([key('DCIM/100NIKON/POLE_N_008.JPG')]);
    expect(found('near:-89.995,0,1km')).toEqual([key('DCIM/100NIKON/POLE_S_009.JPG')]);
    expect(found('near:-16.5,180,1km').sort()).toEqual(
      [key('DCIM/100NIKON/ANTI_E_010.JPG'), key('DCIM/100NIKON/ANTI_W_011.JPG')].sort(),
    );
    expect(found('near:-16.5,-179.99,2km').sort()).toEqual(
      [key('DCIM/100NIKON/ANTI_E_010.JPG'), key('DCIM/100NIKON/ANTI_W_011.JPG')].sort(),
    );
    expect(found('near:-33.4489,-70.6693,0.5km')).toEqual([key('DCIM/100NIKON/NEG_012.JPG')]);
  });

  it('gives files without a valid date the time of their file (as the vault path did), and keeps the raw tags', () => {
    for (const name of ['NODATE_013', 'BADDATE_014', 'BADDATE_015']) {
      const rel = `DCIM/100NIKON/${name}.JPG`;
      expect(record(rel).metadata.captureTime).toBeUndefined();
      const capture = search(box.catalog, `"${name.toLowerCase()}"`).captures[0]!;
      expect(capture.metadata.captureTime).toBe(Date.UTC(2026, 10, 21, 7, 30));
    }
    expect(
      new MetadataStore(box.catalog).tags(hashOf('DCIM/100NIKON/BADDATE_015.JPG'))?.[
        'ExifIFD:DateTimeOriginal'
      ]?.val,
    ).toBe('2026:02:30 25:61:00');
  });

  it('keeps unusual time zone offsets and searches dates by the camera clock', () => {
    expect(record('DCIM/100NIKON/TZ_016.JPG').metadata.offsetMinutes).toBe(345);
    expect(record('DCIM/100NIKON/TZ_017.JPG').metadata.offsetMinutes).toBe(-570);
    expect(record('DCIM/100NIKON/TZ_018.JPG').metadata.offsetMinutes).toBe(840);
    // 00:30 on the 22nd at +14:00 is still the 21st in UTC: the photographer's date wins.
    expect(found('date:2026-11-22')).toEqual([key('DCIM/100NIKON/TZ_018.JPG')]);
    expect(found('date:2026-11-20')).toEqual([key('DCIM/100NIKON/TZ_017.JPG')]);
  });

  it('keeps both values of a duplicated tag in the full tag set', () => {
    const tags = new MetadataStore(box.catalog).tags(hashOf('DCIM/100NIKON/DUP_019.JPG'))!;
    expect([tags['IFD0:Make']?.val, tags['IFD0:Copy1:Make']?.val].sort()).toEqual([
      'NIKON',
      'NIKON CORPORATION',
    ]);
    expect(Object.keys(tags).filter((k) => k.endsWith(':DateTimeOriginal')).length).toBe(2);
  });

  it('restore all of them identical: bytes, mtimes and ExifTool output', async () => {
    const to = join(box.dir, 'restored');
    const done = await restore({ catalog: box.catalog, to, reader: box.reader });
    expect(done).toMatchObject({
      restored: box.hostile.length,
      failed: 0,
      mismatched: 0,
      exitCode: 0,
    });
    for (const f of box.hostile) {
      const [a, b] = await Promise.all([
        fs.readFile(join(box.card, f.relPath)),
        fs.readFile(join(to, 'card', f.relPath)),
      ]);
      expect({ file: f.relPath, same: a.equals(b) }).toEqual({ file: f.relPath, same: true });
    }
    expect(captureIdOf(sourceId(), 'x')).toContain(sourceId());
  });
});
