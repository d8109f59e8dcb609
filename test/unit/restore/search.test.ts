import { beforeAll, describe, expect, it } from 'vitest';
import { syntheticDocs } from '../../../fixtures/index.js';
import {
  captureIdOf,
  CaptureStore,
  searchCaptures,
  type SearchDoc,
  type SourceId,
} from '../../../src/index.js';
import { distanceKm } from '../../../src/restore/index.js';
import { Catalog } from '../../../src/index.js';
import * as fs from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

let dir: string;
let catalog: Catalog;
let store: CaptureStore;
const docs: SearchDoc[] = syntheticDocs(11, 0, 3000);

/** Hand-made captures for the edges: poles, antimeridian, no date, unicode, a stack facet. */
function edge(
  i: number,
  over: Partial<SearchDoc['metadata']>,
  facets: Record<string, string[]> = {},
): SearchDoc {
  const base = syntheticDocs(99, i, 1)[0]!;
  const sourceId = 'card-edge' as SourceId;
  return {
    ...base,
    sourceId,
    captureId: captureIdOf(sourceId, `edge/${i}`),
    captureKey: `edge/${i}`,
    metadata: { ...base.metadata, ...over },
    facets,
  };
}
const edges = [
  edge(0, { gps: { lat: 90, lon: 0 } }),
  edge(1, { gps: { lat: -16.5, lon: 179.9995 } }),
  edge(2, { gps: { lat: -16.5, lon: -179.9995 } }),
  edge(3, { captureTime: undefined, keywords: ['Löwe', '長谷寺'], title: 'Ночь над саванной' }),
  edge(4, {}, { stack: ['burst', 'stack-1'] }),
  edge(5, { rating: -1, model: 'NIKON Z 90' }),
];

beforeAll(async () => {
  dir = await fs.mkdtemp(join(tmpdir(), 'fb-search-'));
  catalog = await Catalog.open(dir);
  store = new CaptureStore(catalog);
  await store.put(docs, 1);
  await store.put(edges, 2);
});
afterAll(async () => {
  await catalog.close();
  await fs.rm(dir, { recursive: true, force: true });
});

const all = (): SearchDoc[] => [...docs, ...edges];
const timeOf = (d: SearchDoc): number => d.metadata.captureTime ?? Infinity;
/** The captures a predicate accepts, in the order search must return them. */
const expected = (pred: (d: SearchDoc) => boolean): string[] =>
  all()
    .filter(pred)
    .sort((a, b) => timeOf(a) - timeOf(b))
    .map((d) => d.captureId);
const ids = (query: string): string[] =>
  searchCaptures(store, query, { limit: 0 }).captures.map((c) => c.captureId);

describe('searchCaptures', () => {
  it.each<[string, (d: SearchDoc) => boolean]>([
    ['', () => true],
    ['rating>=4', (d) => (d.metadata.rating ?? -2) >= 4],
    ['rating:2..3', (d) => [2, 3].includes(d.metadata.rating ?? -2)],
    ['rating:rejected', (d) => d.metadata.rating === -1],
    ['label:red', (d) => d.metadata.label === 'Red'],
    ['keyword:eagle', (d) => d.metadata.keywords?.includes('eagle') === true],
    ['keyword:ele*', (d) => d.metadata.keywords?.some((k) => k.startsWith('ele')) === true],
    ['camera:"NIKON Z 9"', (d) => d.metadata.model === 'NIKON Z 9'],
    ['camera:Z9', (d) => d.metadata.model === 'NIKON Z 9'],
    ['camera:r5', (d) => d.metadata.model === 'Canon EOS R5'],
    ['make:nikon', (d) => d.metadata.make === 'NIKON CORPORATION'],
    ['lens:600mm', (d) => /600mm/.test(d.metadata.lens ?? '')],
    [
      'date:2024-01-02..2024-01-03',
      (d) => timeOf(d) >= Date.UTC(2024, 0, 2) && timeOf(d) < Date.UTC(2024, 0, 4),
    ],
    [
      'date:2024-01-02T06:00..2024-01-02T07:30',
      (d) => timeOf(d) >= Date.UTC(2024, 0, 2, 6) && timeOf(d) < Date.UTC(2024, 0, 2, 7, 31),
    ],
    ['date>2024-01-04', (d) => timeOf(d) >= Date.UTC(2024, 0, 5) && timeOf(d) !== Infinity],
    ['date:none', (d) => d.metadata.captureTime === undefined],
    [
      'near:-1.29,36.82,25km',
      (d) =>
        d.metadata.gps !== undefined &&
        distanceKm(-1.29, 36.82, d.metadata.gps.lat, d.metadata.gps.lon) <= 25,
    ],
    [
      'near:-2.3,34.8,100km',
      (d) =>
        d.metadata.gps !== undefined &&
        distanceKm(-2.3, 34.8, d.metadata.gps.lat, d.metadata.gps.lon) <= 100,
    ],
    ['near:-16.5,180,1km', (d) => d.captureKey === 'edge/1' || d.captureKey === 'edge/2'],
    ['near:89.999,77,1km', (d) => d.captureKey === 'edge/0'],
    ['gps:no', (d) => d.metadata.gps === undefined],
    ['tier:critical', (d) => d.files[0]!.tier === 'critical'],
    ['stack:burst', (d) => d.facets.stack?.includes('burst') === true],
    ['stack:stack-1', (d) => d.captureKey === 'edge/4'],
    ['format:NEF', (d) => d.files.some((f) => f.format === 'NEF')],
    ['format:jpg', (d) => d.files.some((f) => f.format === 'JPEG')],
    ['kind:video', (d) => d.files.some((f) => f.kind === 'video')],
    ['iso>=3200 aperture<=4', (d) => d.metadata.iso! >= 3200 && d.metadata.fNumber! <= 4],
    ['shutter<=1/2000', (d) => d.metadata.exposureTime! <= 1 / 2000 + 1e-12],
    ['focal:600mm', (d) => d.metadata.focalLength === 600],
    ['ev:-1/3', (d) => Math.abs(d.metadata.exposureCompensation! + 1 / 3) < 1e-6],
    ['drive:continuous', (d) => d.metadata.driveMode === 'continuous'],
    ['seq:0..2', (d) => d.metadata.sequenceNumber! <= 2],
    ['eagle', (d) => d.metadata.keywords?.includes('eagle') === true],
    ['"lion at dawn"', (d) => d.metadata.title === 'lion at dawn'],
    [
      'eagle OR lion',
      (d) => d.metadata.keywords?.some((k) => k === 'eagle' || k === 'lion') === true,
    ],
    [
      'NOT eagle rating>=5',
      (d) => d.metadata.keywords?.includes('eagle') !== true && d.metadata.rating === 5,
    ],
    [
      '(format:CR3 OR format:ARW) -label:red',
      (d) =>
        d.files.some((f) => f.format === 'CR3' || f.format === 'ARW') && d.metadata.label !== 'Red',
    ],
    ['keyword:löwe', (d) => d.captureKey === 'edge/3'],
    ['keyword:LOWE', (d) => d.captureKey === 'edge/3'],
    ['長谷寺', (d) => d.captureKey === 'edge/3'],
    ['саванной', (d) => d.captureKey === 'edge/3'],
    ['card:card_0', (d) => d.sourceName === 'CARD_0'],
  ])('%s', (query, pred) => {
    const want = expected(pred);
    const got = ids(query);
    expect(got.length).toBe(want.length);
    expect(got).toEqual(want);
  });

  it('pages in capture-time order, newest first on request, and counts the whole result', () => {
    const first = searchCaptures(store, 'rating>=3', { limit: 10 });
    const second = searchCaptures(store, 'rating>=3', { limit: 10, offset: 10 });
    const want = expected((d) => (d.metadata.rating ?? 0) >= 3);
    expect(first.total).toBe(want.length);
    expect([...first.captures, ...second.captures].map((c) => c.captureId)).toEqual(
      want.slice(0, 20),
    );
    const newest = searchCaptures(store, 'rating>=3', { limit: 3, order: 'desc' });
    expect(newest.captures.map((c) => c.captureId)).toEqual([...want].reverse().slice(0, 3));
  });

  it('rejects unknown fields, comparisons a field cannot do and bad values, naming the position', () => {
    expect(() => ids('foo:bar')).toThrow(/unknown field "foo".*at position 1/);
    expect(() => ids('eagle label>red')).toThrow(/label cannot be compared with >.*at position 12/);
    expect(() => ids('rating>=high')).toThrow(/rating: "high" is not a number.*at position 9/);
    expect(() => ids('date:2026-11-20..2026-13-01')).toThrow(/at position 18/);
    expect(() => ids('near:0,0,10parsecs')).toThrow(/radius/);
    expect(() => ids('text:...')).toThrow(/nothing to search for/);
    expect(() => ids('keyword:"  "')).toThrow(/nothing to search for/);
  });
});
