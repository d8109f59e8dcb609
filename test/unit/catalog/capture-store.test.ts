import { describe, expect, it } from 'vitest';
import { syntheticDocs } from '../../../fixtures/index.js';
import { CaptureStore, type SearchDoc } from '../../../src/index.js';
import { openCatalog } from '../../helpers/box.js';
import { tempDir } from '../../helpers/tmp.js';

async function store(): Promise<CaptureStore> {
  return new CaptureStore(await openCatalog(await tempDir()));
}

describe('CaptureStore', () => {
  it('indexes captures as documents with dense ids and answers term, range, prefix and value lookups', async () => {
    const s = await store();
    const docs = syntheticDocs(1, 0, 5000);
    await s.put(docs.slice(0, 2500), 1);
    await s.put(docs.slice(2500), 2);
    expect(s.count()).toBe(5000);
    expect(s.size).toBe(5000);
    const expectIds = (set: { ids(): Iterable<number> }, pred: (d: SearchDoc) => boolean): void =>
      expect([...set.ids()]).toEqual(docs.flatMap((d, i) => (pred(d) ? [i] : [])));
    expectIds(s.read.term(s.size, 'camera', 'nikon z 9'), (d) => d.metadata.model === 'NIKON Z 9');
    expectIds(s.read.range(s.size, 'rating', 4, undefined), (d) => (d.metadata.rating ?? 0) >= 4);
    expectIds(
      s.read.range(s.size, 'iso', 800, 3200, true, false),
      (d) => d.metadata.iso! >= 800 && d.metadata.iso! < 3200,
    );
    expectIds(s.read.prefix(s.size, 'keyword', 'ele'), (d) =>
      d.metadata.keywords!.includes('elephant'),
    );
    const cameras = [...s.read.valuesOf('camera')].map((v) => v.value);
    expect(cameras).toContain('canon eos r5');
    expect([...s.read.valuesOf('camera')].find((v) => v.value === 'nikon z 9')?.count).toBe(
      docs.filter((d) => d.metadata.model === 'NIKON Z 9').length,
    );
  });

  it('moves a document between posting lists when its metadata changes, and drops empty values', async () => {
    const s = await store();
    const [doc] = syntheticDocs(2, 0, 1);
    await s.put([{ ...doc!, metadata: { ...doc!.metadata, rating: 2, label: 'Red' } }], 1);
    expect(s.read.term(s.size, 'label', 'red').count()).toBe(1);
    await s.put([{ ...doc!, metadata: { ...doc!.metadata, rating: 5, label: undefined } }], 2);
    expect(s.size).toBe(1);
    expect(s.read.term(s.size, 'rating', 2).count()).toBe(0);
    expect(s.read.term(s.size, 'rating', 5).count()).toBe(1);
    expect(s.read.term(s.size, 'label', 'red').count()).toBe(0);
    expect([...s.read.valuesOf('label')]).toEqual([]);
    expect(s.get(doc!.captureId)?.updatedAt).toBe(2);
  });

  it('makes a facet set by another subsystem searchable, and keeps it when the capture is reindexed', async () => {
    const s = await store();
    const docs = syntheticDocs(3, 0, 3).map((d) => ({ ...d, facets: {} }));
    await s.put(docs, 1);
    expect(await s.setFacet(docs[1]!.captureId, 'stack', ['burst', 'stack-7'], 2)).toBe(true);
    expect([...s.read.term(s.size, 'stack', 'burst').ids()]).toEqual([1]);
    await s.put([docs[1]!], 3);
    expect([...s.read.term(s.size, 'stack', 'stack-7').ids()]).toEqual([1]);
    expect(await s.setFacet('card-x/nothing' as never, 'stack', ['burst'], 4)).toBe(false);
  });

  it('keeps capture time and position in columns for exact refinement', async () => {
    const s = await store();
    const docs = syntheticDocs(4, 0, 1100);
    await s.put(docs, 1);
    const c = s.columns();
    const times = c.read('time', [0, 600, 1099]);
    expect(times.get(600)).toBe(docs[600]!.metadata.captureTime);
    const lats = c.read('lat', [5]);
    expect(lats.get(5)).toBe(docs[5]!.metadata.gps?.lat ?? NaN);
  });
});
