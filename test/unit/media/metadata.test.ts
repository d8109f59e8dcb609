import * as fs from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExifTool } from 'exiftool-vendored';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateMediaSet, seededBytes, type MediaFixture } from '../../../fixtures/index.js';
import {
  compareTags,
  createExifTool,
  ExifToolMetadataReader,
  normalize,
  type MediaMetadata,
  type MetadataReading,
  type TagSet,
} from '../../../src/index.js';

let dir: string;
let fixtures: MediaFixture[];
const readings = new Map<string, MetadataReading>();
const exiftool = createExifTool();

beforeAll(async () => {
  dir = await fs.mkdtemp(join(tmpdir(), 'fb-meta-'));
  fixtures = await generateMediaSet(dir);
  const reader = new ExifToolMetadataReader(exiftool);
  await Promise.all(
    fixtures.map(async (f) => readings.set(f.relPath, await reader.read(join(dir, f.relPath)))),
  );
});
afterAll(async () => {
  await exiftool.end();
  await fs.rm(dir, { recursive: true, force: true });
});

const ratio = (r: number | readonly [number, number]): number =>
  typeof r === 'number' ? r : r[0] / r[1];
const wallMs = (wall: string): number => {
  const [d, t] = wall.split(' ');
  const [y, mo, day] = d!.split(':').map(Number);
  const [h, mi, s] = t!.split(':').map(Number);
  return Date.UTC(y!, mo! - 1, day, h, mi, s);
};
const offsetOf = (o: string): number =>
  (o.startsWith('-') ? -1 : 1) * (Number(o.slice(1, 3)) * 60 + Number(o.slice(4, 6)));

describe('ExifToolMetadataReader on every format', () => {
  it('reads every fixture without errors or warnings', () => {
    for (const f of fixtures) {
      const r = readings.get(f.relPath)!;
      // AVCHD files always get ExifTool's note that -ee would read per-frame data: not a problem.
      const real = r.warnings.filter((w) => !w.includes('ExtractEmbedded'));
      expect({ file: f.relPath, status: r.status, warnings: real }).toEqual({
        file: f.relPath,
        status: 'ok',
        warnings: [],
      });
    }
  });

  it('normalizes every field a format carries to the value that was written', () => {
    for (const f of fixtures) {
      const m = readings.get(f.relPath)!.metadata;
      const s = f.shot;
      const file = { file: f.relPath };
      for (const field of f.carries) {
        const got = { ...file, field };
        switch (field) {
          case 'captureTime': {
            const ms =
              wallMs(s.capture!.wall) +
              (f.carries.includes('subsec') ? Number(`0.${s.capture!.subsec}`) * 1000 : 0);
            expect({ ...got, v: m.captureTime }).toEqual({ ...got, v: Math.round(ms) });
            break;
          }
          case 'offset':
            expect({ ...got, v: m.offsetMinutes }).toEqual({
              ...got,
              v: offsetOf(s.capture!.offset!),
            });
            break;
          case 'subsec':
            break;
          case 'make':
            expect({ ...got, v: m.make }).toEqual({ ...got, v: f.make });
            break;
          case 'model':
            expect({ ...got, v: m.model }).toEqual({ ...got, v: s.model });
            break;
          case 'serial':
            expect({ ...got, v: Number(m.serial) }).toEqual({ ...got, v: Number(s.serial) });
            break;
          case 'lens':
            expect({ ...got, v: m.lens }).toEqual({ ...got, v: s.lens });
            break;
          case 'exposure':
            expect({
              ...got,
              t: Math.abs(m.exposureTime! / ratio(s.exposureTime) - 1) < 0.02,
              f: m.fNumber,
            }).toEqual({ ...got, t: true, f: s.fNumber });
            break;
          case 'iso':
            expect({ ...got, v: m.iso }).toEqual({ ...got, v: s.iso });
            break;
          case 'exposureCompensation':
            expect({
              ...got,
              close: Math.abs(m.exposureCompensation! - ratio(s.exposureCompensation)) < 0.01,
            }).toEqual({ ...got, close: true });
            break;
          case 'drive': {
            const want =
              f.format === 'PEF'
                ? 'continuous'
                : s.bracket !== undefined
                  ? 'bracketing'
                  : s.drive === 'continuous'
                    ? 'continuous'
                    : 'single';
            expect({ ...got, v: m.driveMode }).toEqual({ ...got, v: want });
            break;
          }
          case 'sequence':
            expect({ ...got, v: m.sequenceNumber }).toEqual({ ...got, v: s.sequence });
            break;
          case 'bracket':
            expect({ ...got, close: Math.abs(m.bracketValue! - ratio(s.bracket!)) < 0.01 }).toEqual(
              { ...got, close: true },
            );
            break;
          case 'rating':
          case 'label':
          case 'title':
          case 'caption':
          case 'copyright':
          case 'usageTerms':
            expect({ ...got, v: m[field] }).toEqual({ ...got, v: s[field] });
            break;
          case 'keywords':
            expect({
              ...got,
              missing: (s.keywords ?? []).filter((k) => !m.keywords?.includes(k)),
            }).toEqual({ ...got, missing: [] });
            break;
          case 'creator':
            expect({ ...got, v: m.creators }).toEqual({ ...got, v: [s.creator] });
            break;
          case 'gps':
            expect({ ...got, lat: m.gps!.lat.toFixed(4), lon: m.gps!.lon.toFixed(4) }).toEqual({
              ...got,
              lat: s.gps!.lat.toFixed(4),
              lon: s.gps!.lon.toFixed(4),
            });
            break;
          case 'orientation':
            expect({ ...got, v: m.orientation }).toEqual({ ...got, v: s.orientation });
            break;
          case 'history':
            expect(m.history).toEqual([
              {
                action: 'saved',
                when: '2026:11:21 20:01:02+03:00',
                agent: 'Adobe Photoshop Lightroom Classic 14.0 (Macintosh)',
              },
            ]);
            break;
          case 'develop':
            expect(m.develop).toMatchObject({
              Exposure2012: '+0.35',
              Contrast2012: 12,
              WhiteBalance: 'As Shot',
              ColorTemperature: 5600,
              Tint: 4,
            });
            break;
        }
      }
    }
  });

  it('keeps the full tag set, with printed and raw values, and nothing about the file system', () => {
    const tags = readings.get('DCIM/100NIKON/DSC_0007.NEF')!.tags;
    expect(tags['ExifIFD:ExposureTime']).toEqual({ val: '1/1000', num: 0.001 });
    expect(tags['Nikon:ShootingMode']).toMatchObject({ val: 'Continuous, Exposure Bracketing' });
    expect(Object.keys(tags).some((k) => k.startsWith('System:'))).toBe(false);
    expect(Object.keys(tags).length).toBeGreaterThan(80);
  });

  it('flags empty, foreign and damaged files instead of failing', async () => {
    const reader = new ExifToolMetadataReader(exiftool);
    const empty = join(dir, 'empty.CR2');
    await fs.writeFile(empty, '');
    expect(await reader.read(empty)).toMatchObject({
      status: 'unreadable',
      reason: 'File is empty',
      metadata: {},
    });
    const noise = join(dir, 'noise.NEF');
    await fs.writeFile(noise, seededBytes('noise', 5000));
    expect(await reader.read(noise)).toMatchObject({
      status: 'unreadable',
      reason: 'File format error',
    });
    const nef = await fs.readFile(join(dir, 'DCIM/100NIKON/DSC_0007.NEF'));
    const cut = join(dir, 'cut.NEF');
    await fs.writeFile(cut, nef.subarray(0, 3000));
    const partial = await reader.read(cut);
    expect(partial.status).toBe('partial');
    expect(partial.warnings.length).toBeGreaterThan(0);
    expect(partial.metadata.make).toBe('NIKON CORPORATION');
    const missing = await reader.read(join(dir, 'does-not-exist.CR2'));
    expect(missing.status).toBe('unreadable');
    expect(missing.reason).toContain('ExifTool could not read the file');
  });

  it('keeps multibyte text intact in outputs larger than one pipe read', async () => {
    // 8,000 keywords of 3-byte characters: ExifTool's JSON spans many stdout chunks, and a
    // character split between two of them must not turn into U+FFFD.
    const keywords = Array.from({ length: 8000 }, (_, i) => `長谷寺-Löwe-${i}`);
    const packet = `<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:subject><rdf:Bag>${keywords.map((k) => `<rdf:li>${k}</rdf:li>`).join('')}</rdf:Bag></dc:subject></rdf:Description></rdf:RDF></x:xmpmeta>`;
    const path = join(dir, 'many.xmp');
    await fs.writeFile(path, packet, 'utf8');
    const read = await new ExifToolMetadataReader(exiftool).read(path);
    expect(read.metadata.keywords).toEqual(keywords);
  });

  it('refuses an ExifTool with MWG composites (they hide EXIF inside embedded JPEGs)', async () => {
    const mwg = new ExifTool({ maxProcs: 1, useMWG: true });
    try {
      expect(() => new ExifToolMetadataReader(mwg)).toThrow(/useMWG: false/);
    } finally {
      await mwg.end();
    }
  });
});

describe('normalize', () => {
  const tag = (val: unknown, num?: unknown) => (num === undefined ? { val } : { val, num });
  const n = (tags: Record<string, { val: unknown; num?: unknown }>): MediaMetadata =>
    normalize(tags);

  it('prefers the sub-second EXIF time, else DateTimeOriginal with OffsetTimeOriginal, else QuickTime UTC at +00:00', () => {
    expect(
      n({
        'Composite:SubSecDateTimeOriginal': tag('2026:11:20 06:12:01.25+03:00'),
        'ExifIFD:DateTimeOriginal': tag('2026:11:20 06:12:01'),
      }),
    ).toMatchObject({ captureTime: Date.UTC(2026, 10, 20, 6, 12, 1, 250), offsetMinutes: 180 });
    expect(
      n({
        'ExifIFD:DateTimeOriginal': tag('2026:11:20 06:12:01'),
        'ExifIFD:OffsetTimeOriginal': tag('-09:30'),
      }),
    ).toMatchObject({ offsetMinutes: -570 });
    expect(n({ 'QuickTime:CreateDate': tag('2026:11:20 03:12:01') })).toEqual({
      captureTime: Date.UTC(2026, 10, 20, 3, 12, 1),
      offsetMinutes: 0,
    });
    expect(
      n({
        'QuickTime:CreateDate': tag('0000:00:00 00:00:00'),
        'ExifIFD:DateTimeOriginal': tag('2026:02:30 10:00:00'),
      }),
    ).toEqual({});
  });

  it('classifies drive modes from each maker note, with sequence and AEB step', () => {
    expect(n({ 'Olympus:DriveMode': tag('AE Bracketing, Shot 2', '5 2 1 0 4') })).toMatchObject({
      driveMode: 'bracketing',
      sequenceNumber: 2,
    });
    expect(n({ 'Panasonic:BurstMode': tag('Off', 0) })).toMatchObject({ driveMode: 'single' });
    expect(n({ 'Panasonic:BurstMode': tag('On', 1) })).toMatchObject({ driveMode: 'continuous' });
    expect(
      n({
        'Canon:ContinuousDrive': tag('Single', 0),
        'Canon:AutoExposureBracketing': tag('On (shot 2)', 2),
        'Canon:AEBBracketValue': tag('+1', 1),
      }),
    ).toMatchObject({ driveMode: 'bracketing', bracketValue: 1 });
    expect(
      n({ 'Sony:ReleaseMode': tag('Normal', 0), 'Sony:SequenceNumber': tag('Single', 0) }),
    ).toMatchObject({ driveMode: 'single', sequenceNumber: 0 });
    expect(n({ 'Pentax:DriveMode': tag('Self-timer (2 s)') })).toMatchObject({
      driveMode: 'timer',
    });
    expect(n({ 'SigmaRaw:DriveMode': tag('Mirror Up') })).toMatchObject({ driveMode: 'other' });
    expect(n({ 'Canon:AEBBracketValue': tag('0', 0) })).not.toHaveProperty('bracketValue');
  });

  it('merges keyword sources and splits Lightroom hierarchies; creators fall back to IPTC, then EXIF', () => {
    expect(
      n({
        'XMP-dc:Subject': tag(['eagle']),
        'IPTC:Keywords': tag('Eagle'),
        'XMP-lr:HierarchicalSubject': tag(['Animals|Birds|eagle']),
      }).keywords,
    ).toEqual(['eagle', 'Eagle', 'Animals', 'Birds']);
    expect(n({ 'IPTC:By-line': tag(['A', 'B']) }).creators).toEqual(['A', 'B']);
    expect(n({ 'IFD0:Artist': tag('C') }).creators).toEqual(['C']);
  });

  it('drops impossible GPS positions and orientations rather than indexing them', () => {
    expect(
      n({ 'Composite:GPSLatitude': tag('x', 91), 'Composite:GPSLongitude': tag('y', 10) }).gps,
    ).toBeUndefined();
    expect(
      n({
        'Composite:GPSLatitude': tag('x', -90),
        'Composite:GPSLongitude': tag('y', 180),
        'Composite:GPSAltitude': tag('z', -12),
      }).gps,
    ).toEqual({ lat: -90, lon: 180, alt: -12 });
    expect(n({ 'IFD0:Orientation': tag('Unknown (9)', 9) }).orientation).toBeUndefined();
    expect(n({ 'File:ImageWidth': tag(64), 'File:ImageHeight': tag(48) })).toMatchObject({
      width: 64,
      height: 48,
    });
  });
});

describe('compareTags', () => {
  it('lists the tags whose printed or raw values differ, in order', () => {
    const a: TagSet = {
      'IFD0:Make': { val: 'Canon' },
      'ExifIFD:ISO': { val: 100 },
      'XMP-xmp:Rating': { val: 3 },
    };
    const b: TagSet = {
      'IFD0:Make': { val: 'Canon' },
      'ExifIFD:ISO': { val: 200 },
      'XMP-xmp:Label': { val: 'Red' },
    };
    expect(compareTags(a, b)).toEqual([
      { tag: 'ExifIFD:ISO', expected: 100, actual: 200 },
      { tag: 'XMP-xmp:Label', expected: undefined, actual: 'Red' },
      { tag: 'XMP-xmp:Rating', expected: 3, actual: undefined },
    ]);
    expect(compareTags(a, a)).toEqual([]);
  });
});
