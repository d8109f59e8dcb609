import { createHash } from 'node:crypto';
import * as fs from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { XMP_CORE, type CarriedField, type MediaFixture } from '../../../fixtures/index.js';
import {
  captureIdOf,
  compareTags,
  MetadataStore,
  restore,
  search,
  type RestoreEvent,
} from '../../../src/index.js';
import { captureKeyOf } from '../../../src/ingest/plan.js';
import { mediaBox, type MediaBox } from '../../helpers/media-box.js';
import { snapshotTree } from '../../helpers/tree.js';

let box: MediaBox;
let cardBefore: Awaited<ReturnType<typeof snapshotTree>>;

beforeAll(async () => {
  box = await mediaBox();
  cardBefore = await snapshotTree(box.card);
}, 120_000);
afterAll(async () => box.close());

const sha = async (path: string): Promise<string> =>
  createHash('sha256')
    .update(await fs.readFile(path))
    .digest('hex');
const sourceId = (): string => box.done.jobId && [...box.catalog.allJobs()][0]!.sourceId;
const captureOf = (f: MediaFixture): string =>
  captureIdOf(sourceId() as never, captureKeyOf(f.relPath));

const EDIT: readonly CarriedField[] = [...XMP_CORE, 'history', 'develop'];
const ORDER = (f: MediaFixture, edit: boolean): number => {
  const kind =
    f.format === 'XMP'
      ? 'xmp'
      : ['THM', 'WAV'].includes(f.format)
        ? 'minor'
        : [
              'CR2',
              'CR3',
              'CRW',
              'NEF',
              'NRW',
              'ARW',
              'SR2',
              'SRF',
              'DNG',
              'RAF',
              'ORF',
              'RW2',
              'RWL',
              'PEF',
              'SRW',
              '3FR',
              'IIQ',
              'X3F',
            ].includes(f.format)
          ? 'raw'
          : ['MP4', 'MOV', 'M2TS', 'CRM'].includes(f.format)
            ? 'video'
            : 'image';
  return (
    edit ? ['xmp', 'raw', 'image', 'video', 'minor'] : ['raw', 'image', 'video', 'xmp', 'minor']
  ).indexOf(kind);
};

/** The capture member whose value of `field` the capture shows (the sidecar for edits, the raw for camera facts). */
function owner(f: MediaFixture, field: CarriedField): boolean {
  const members = box.fixtures.filter(
    (m) => captureKeyOf(m.relPath) === captureKeyOf(f.relPath) && m.carries.includes(field),
  );
  const edit = EDIT.includes(field);
  return [...members].sort((a, b) => ORDER(a, edit) - ORDER(b, edit))[0] === f;
}

const q = (s: string): string => `"${s.replace(/"/g, '\\"')}"`;
const frac = (r: number | readonly [number, number]): string =>
  typeof r === 'number' ? String(r) : `${r[0]}/${r[1]}`;

/** A query that must find the fixture's capture through one field. */
function queryFor(f: MediaFixture, field: CarriedField): string | undefined {
  const s = f.shot;
  const day = s.capture?.wall.slice(0, 10).replace(/:/g, '-');
  switch (field) {
    case 'captureTime':
      return `date:${day}T${s.capture!.wall.slice(11, 16)}..${day}T${s.capture!.wall.slice(11, 16)}`;
    case 'make':
      return `make:${q(f.make!)}`;
    case 'model':
      return `camera:${q(s.model)}`;
    case 'serial':
      return `serial:${s.serial}`;
    case 'lens':
      return `lens:${q(s.lens!)}`;
    case 'exposure':
      return `shutter:${frac(s.exposureTime)} aperture:${s.fNumber}`;
    case 'iso':
      return `iso:${s.iso}`;
    case 'exposureCompensation':
      return `ev:${frac(s.exposureCompensation)}`;
    case 'drive':
      return `drive:${f.format === 'PEF' ? 'continuous' : s.bracket !== undefined ? 'bracketing' : s.drive === 'continuous' ? 'continuous' : 'single'}`;
    case 'sequence':
      return `seq:${s.sequence}`;
    case 'bracket':
      return `bracket:${frac(s.bracket!)}`;
    case 'rating':
      return `rating:${s.rating}`;
    case 'label':
      return `label:${s.label}`;
    case 'keywords':
      return s.keywords!.map((k) => `keyword:${q(k)}`).join(' ');
    case 'title':
      return q(s.title!);
    case 'caption':
      return q(s.caption!);
    case 'creator':
      return `creator:${q(s.creator!)}`;
    case 'copyright':
      return `copyright:${q(s.copyright!)}`;
    case 'usageTerms':
      return `usage:${q(s.usageTerms!)}`;
    case 'gps':
      return `near:${s.gps!.lat},${s.gps!.lon},0.1km`;
    case 'orientation':
      return `orientation:${s.orientation}`;
    default:
      return undefined;
  }
}

describe('every format through ingest → search → restore', () => {
  it('backs up every file on both vaults and indexes its metadata from the vault copy', () => {
    expect(box.done).toMatchObject({
      exitCode: 0,
      files: box.fixtures.length,
      copied: box.fixtures.length,
    });
    const meta = box.indexEvents.filter((e) => e.event === 'metadata');
    expect(meta).toHaveLength(box.fixtures.length);
    for (const f of box.fixtures)
      expect(meta.find((e) => e.path === f.relPath)).toMatchObject({
        status: 'ok',
        format: f.format,
      });
    expect(box.indexEvents.at(-1)).toMatchObject({
      event: 'indexed',
      files: box.fixtures.length,
      captures: new Set(box.fixtures.map((f) => captureKeyOf(f.relPath))).size,
    });
  });

  it('groups RAW + JPEG + XMP + WAV, and MP4 + THM, into one capture each', () => {
    const cr2 = box.fixtures.find((f) => f.format === 'CR2')!;
    const capture = search(box.catalog, 'format:CR2').captures[0]!;
    expect(capture.captureId).toBe(captureOf(cr2));
    expect(capture.files.map((f) => f.format).sort()).toEqual(['CR2', 'JPEG', 'WAV', 'XMP']);
    // The sidecar's edits win over the raw's in-camera rating; camera facts come from the raw.
    expect(capture.metadata).toMatchObject({
      rating: 5,
      model: 'Canon EOS 5D Mark IV',
      lens: 'EF70-200mm f/2.8L IS III USM',
    });
    expect(
      search(box.catalog, 'format:THM')
        .captures[0]!.files.map((f) => f.format)
        .sort(),
    ).toEqual(['MP4', 'THM']);
  });

  it('finds each format by format name, and each field a format carries by that field', () => {
    let checked = 0;
    for (const f of box.fixtures) {
      expect({
        file: f.relPath,
        found: search(box.catalog, `format:${f.format}`).captures.some(
          (c) => c.captureId === captureOf(f),
        ),
      }).toEqual({ file: f.relPath, found: true });
      for (const field of f.carries) {
        if (!owner(f, field)) continue;
        const query = queryFor(f, field);
        if (query === undefined) continue;
        const found = search(box.catalog, query, { limit: 0 }).captures.some(
          (c) => c.captureId === captureOf(f),
        );
        expect({ file: f.relPath, field, query, found }).toEqual({
          file: f.relPath,
          field,
          query,
          found: true,
        });
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(400);
  });

  it('keeps XMP edit history and develop settings, and the full tag set of every file', () => {
    const store = new MetadataStore(box.catalog);
    const xmp = box.fixtures.find((f) => f.format === 'XMP')!;
    const file = box.catalog.file(sourceId() as never, xmp.relPath)!;
    expect(store.get(file.hash)?.metadata).toMatchObject({
      history: [{ action: 'saved' }],
      develop: { Exposure2012: '+0.35' },
    });
    for (const f of box.fixtures) {
      const record = store.get(box.catalog.file(sourceId() as never, f.relPath)!.hash)!;
      expect(record.tagBytes).toBeGreaterThan(100);
      expect(
        Object.keys(store.tags(box.catalog.file(sourceId() as never, f.relPath)!.hash)!).length,
      ).toBeGreaterThan(5);
    }
  });

  it('restores every capture byte-exact, with identical ExifTool output, never touching the card', async () => {
    const to = join(box.dir, 'restored');
    const events: RestoreEvent[] = [];
    const done = await restore({
      catalog: box.catalog,
      to,
      reader: box.reader,
      onEvent: (e) => events.push(e),
    });
    expect(done).toMatchObject({
      files: box.fixtures.length,
      restored: box.fixtures.length,
      failed: 0,
      mismatched: 0,
      exitCode: 0,
    });
    for (const f of box.fixtures) {
      const restored = join(to, 'card', f.relPath);
      expect({
        file: f.relPath,
        same: (await sha(restored)) === (await sha(join(box.card, f.relPath))),
      }).toEqual({ file: f.relPath, same: true });
      const [a, b] = await Promise.all([
        box.reader.readTags(join(box.card, f.relPath)),
        box.reader.readTags(restored),
      ]);
      expect({ file: f.relPath, differences: compareTags(a, b) }).toEqual({
        file: f.relPath,
        differences: [],
      });
      expect((await fs.stat(restored)).mtimeMs).toBe(
        (await fs.stat(join(box.card, f.relPath))).mtimeMs,
      );
    }
    expect(await snapshotTree(box.card)).toEqual(cardBefore);

    // Again: everything is already there; nothing is written.
    const before = await snapshotTree(to);
    const again = await restore({ catalog: box.catalog, to, reader: box.reader });
    expect(again).toMatchObject({ restored: 0, present: box.fixtures.length, exitCode: 0 });
    expect(await snapshotTree(to)).toEqual(before);
  });

  it('never overwrites: a name taken by other bytes gets _2, the other file stays as it was', async () => {
    const to = join(box.dir, 'taken');
    const nef = box.fixtures.find((f) => f.format === 'NEF')!;
    const wanted = join(to, 'card', nef.relPath);
    await fs.mkdir(join(wanted, '..'), { recursive: true });
    await fs.writeFile(wanted, 'my own edit, not the camera file');
    const events: RestoreEvent[] = [];
    const done = await restore({
      catalog: box.catalog,
      to,
      query: 'format:NEF',
      reader: box.reader,
      onEvent: (e) => events.push(e),
    });
    expect(done.exitCode).toBe(0);
    expect(await fs.readFile(wanted, 'utf8')).toBe('my own edit, not the camera file');
    expect(events.find((e) => e.event === 'file')).toMatchObject({
      path: `card/${nef.relPath.replace('.NEF', '_2.NEF')}`,
      outcome: 'restored',
    });
    expect(await sha(wanted.replace('.NEF', '_2.NEF'))).toBe(
      await sha(join(box.card, nef.relPath)),
    );
  });

  it('restores in the vault layout on request', async () => {
    const to = join(box.dir, 'vault-layout');
    const done = await restore({
      catalog: box.catalog,
      to,
      query: 'format:CR3',
      layout: 'vault',
      reader: box.reader,
    });
    expect(done.restored).toBe(1);
    const cr3 = box.fixtures.find((f) => f.format === 'CR3')!;
    const copy = Object.values(
      box.catalog.object(box.catalog.file(sourceId() as never, cr3.relPath)!.hash)!.copies,
    )[0]!;
    expect(await sha(join(to, copy.path))).toBe(await sha(join(box.card, cr3.relPath)));
  });
});
