import * as fs from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CaptureEditStore,
  detectFile,
  ExifToolMetadataReader,
  ExifToolPlanTagReader,
  FolderSource,
  ingest,
  MetadataIndexer,
  reindexCaptures,
  search,
  type CaptureRecord,
} from '../../../src/index.js';
import { pair, postEdit, WEB_PASSWORD, webBox, type WebBox } from '../../helpers/web-box.js';

let box: WebBox;
let url: string;
let session: { cookie: string; csrf: string };

beforeAll(async () => {
  box = await webBox({ captures: 4 });
  await box.ingest();
  ({ url } = await box.serve());
  session = await pair(url, { password: WEB_PASSWORD });
}, 90_000);
afterAll(() => box.close());

/** An edit as the page sends it; it must succeed. */
async function edit(capture: CaptureRecord, body: unknown): Promise<void> {
  const response = await postEdit(url, session, capture.docId, body);
  expect(response.status, await response.clone().text()).toBe(200);
}

const captureOf = (stem: string): CaptureRecord =>
  search(box.catalog, '', { limit: 0 }).captures.find((c) =>
    c.captureKey.endsWith(stem.toLowerCase()),
  )!;
const found = (query: string): string[] =>
  search(box.catalog, query, { limit: 0 }).captures.map((c) => c.captureId);

/** The metadata indexer as ingest runs it, with its stores for a reindex. */
const indexer = (detect = detectFile): MetadataIndexer =>
  new MetadataIndexer({
    catalog: box.catalog,
    reader: new ExifToolMetadataReader(box.exiftool),
    detect,
  });

describe('edits made on the page, and the search index rebuilt from the files', () => {
  it('a reindex keeps rating, label and pick over the camera’s values', async () => {
    const capture = captureOf('IMG_0001');
    // The structured RAW says 3 stars and no label.
    expect(found('rating:3')).toContain(capture.captureId);
    await edit(capture, { rating: 5, label: 'Red', flag: 'pick' });
    expect(found('rating>=5 label:red flag:pick tier:critical')).toEqual([capture.captureId]);

    const all = search(box.catalog, '', { limit: 0 }).captures.map((c) => c.captureId);
    expect(await reindexCaptures(indexer().stores, all, Date.now())).toBe(all.length);

    expect(found('rating>=5 label:red flag:pick tier:critical')).toEqual([capture.captureId]);
    expect(found('rating:3')).not.toContain(capture.captureId);
    expect(found('rating<5')).not.toContain(capture.captureId);
    // The page's gallery reads the same document.
    const page = (await (await fetch(new URL('/api/captures?q=label:red', url))).json()) as {
      tiles: { rating?: number; label?: string; flag?: string }[];
    };
    expect(page.tiles).toEqual([
      expect.objectContaining({ rating: 5, label: 'Red', flag: 'pick', tier: 'critical' }),
    ]);
  });

  it('a reject stays a reject after a reindex, and undoing it brings the camera’s stars back', async () => {
    const capture = captureOf('IMG_0002');
    await edit(capture, { flag: 'reject' });
    await reindexCaptures(indexer().stores, [capture.captureId], Date.now());
    expect(found('rating:rejected')).toEqual([capture.captureId]);
    expect(found('rating:3')).not.toContain(capture.captureId);
    await edit(capture, { flag: 'none' });
    await reindexCaptures(indexer().stores, [capture.captureId], Date.now());
    expect(found('rating:rejected')).toEqual([]);
    expect(found('rating:3')).toContain(capture.captureId);
    expect(found('flag:reject')).toEqual([]);
  });

  it('an edit made while the indexer reads a new file of the capture is kept, and the camera’s new values become what it falls back to', async () => {
    const capture = captureOf('IMG_0003');
    // The card gets its own sidecar for the capture (another tool rated it 1, blue): the next
    // ingest copies it and the indexer reads it into the capture.
    await fs.writeFile(
      join(box.card, 'DCIM/100CANON/IMG_0003.XMP'),
      '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmp:Rating="1" xmp:Label="Blue"/></rdf:RDF></x:xmpmeta>',
    );
    let reached!: () => void;
    const reading = new Promise<void>((resolve) => (reached = resolve));
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    // The indexer stops just before it reads the new file: the photographer edits meanwhile.
    const slow = indexer(async (path) => {
      reached();
      await gate;
      return detectFile(path);
    });
    const backup = ingest({
      source: new FolderSource(box.card),
      vaults: [box.vaultA, box.vaultB],
      catalog: box.catalog,
      tags: new ExifToolPlanTagReader(box.exiftool),
      indexer: slow,
    });
    await reading;
    await edit(capture, { label: 'Green', flag: 'pick' });
    expect(found('label:green flag:pick')).toEqual([capture.captureId]);
    release();
    expect((await backup).safeToFormat).toBe(true);
    await slow.drain();

    const xmp = 'DCIM/100CANON/IMG_0003.XMP';
    const doc = captureOf('IMG_0003');
    expect(doc.files.map((f) => f.relPath)).toContain(xmp);
    // The photographer's label and pick, over the card sidecar's; its rating (1) is the camera's now.
    expect(found('label:green flag:pick rating:1')).toEqual([capture.captureId]);
    expect(found('label:blue')).toEqual([]);
    // The file that joined a picked capture is critical like the others.
    expect(box.catalog.file(capture.sourceId, xmp)?.tier).toBe('critical');
    expect(found('tier:critical')).toContain(capture.captureId);
    expect(new CaptureEditStore(box.catalog).get(capture.captureId)?.original).toEqual({
      rating: 1,
      label: 'Blue',
    });

    // Undoing the pick gives every file its tier back, the new one too; un-rejecting falls
    // back to the stars as they are now.
    await edit(capture, { flag: 'reject' });
    expect(box.catalog.file(capture.sourceId, xmp)?.tier).not.toBe('critical');
    await edit(capture, { flag: 'none', label: '' });
    await reindexCaptures(indexer().stores, [capture.captureId], Date.now());
    expect(found('rating:1')).toEqual([capture.captureId]);
    expect(found('label:blue')).toEqual([]);
    expect(found('label:green')).toEqual([]);
  }, 60_000);
});
