import * as fs from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateMediaSet } from '../../../fixtures/index.js';
import {
  Catalog,
  createExifTool,
  detectFile,
  ExifToolMetadataReader,
  FolderSource,
  ingest,
  IngestSession,
  initVault,
  MetadataIndexer,
  MetadataStore,
  reindexCaptures,
  search,
  type CaptureId,
  type FileIndexer,
  type IndexEvent,
  type MetadataReader,
  type Source,
} from '../../../src/index.js';
import { tempDir } from '../../helpers/tmp.js';

const exiftool = createExifTool();
afterAll(async () => exiftool.end());

async function setup(only?: string[]) {
  const dir = await tempDir();
  const card = join(dir, 'card');
  const fixtures = await generateMediaSet(card, only === undefined ? {} : { only });
  const vaults = [join(dir, 'a'), join(dir, 'b')];
  for (const v of vaults) await initVault(v);
  const catalog = await Catalog.open(join(dir, 'home'));
  return { dir, card, fixtures, vaults, catalog };
}

/** A reader that counts reads and remembers every path it was asked for. */
function countingReader(): MetadataReader & { paths: string[] } {
  const real = new ExifToolMetadataReader(exiftool);
  const paths: string[] = [];
  return { paths, read: (p) => (paths.push(p), real.read(p)) };
}

describe('MetadataIndexer', () => {
  it('reads the vault copies, never the card', async () => {
    const s = await setup(['CR2', 'JPEG', 'NEF', 'MP4']);
    const reader = countingReader();
    const detected: string[] = [];
    const indexer = new MetadataIndexer({
      catalog: s.catalog,
      reader,
      detect: (p) => (detected.push(p), detectFile(p)),
    });
    await ingest({
      source: new FolderSource(s.card),
      vaults: s.vaults,
      catalog: s.catalog,
      indexer,
    });
    expect((await indexer.drain()).files).toBe(4);
    expect(reader.paths).toHaveLength(4);
    for (const p of [...reader.paths, ...detected])
      expect(
        p.startsWith(join(s.vaults[0]!, 'Photos')) || p.startsWith(join(s.vaults[1]!, 'Photos')),
      ).toBe(true);
    await s.catalog.close();
  });

  it('indexes while the card is still being copied (the job waits here until a file is indexed)', async () => {
    const s = await setup(['CR2', 'JPEG', 'XMP', 'NEF']);
    let indexedOne: () => void = () => undefined;
    const firstIndexed = new Promise<void>((resolve) => (indexedOne = resolve));
    const events: string[] = [];
    const indexer = new MetadataIndexer({
      catalog: s.catalog,
      reader: new ExifToolMetadataReader(exiftool),
      onEvent: (e) => {
        events.push(e.event);
        if (e.event === 'metadata') indexedOne();
      },
    });
    const folder = new FolderSource(s.card);
    // The NEF's bytes are held back until the indexer has finished a file: pipelined, or this times out.
    const gated: Source = {
      kind: folder.kind,
      identify: () => folder.identify(),
      entries: (w) => folder.entries(w),
      localPath: (e) => folder.localPath(e),
      read: async function* (entry) {
        if (entry.relPath.endsWith('.NEF')) {
          const timeout = new Promise<never>((_, reject) =>
            setTimeout(
              () => reject(new Error('indexing did not start while copying')),
              20_000,
            ).unref(),
          );
          await Promise.race([firstIndexed, timeout]);
        }
        yield* folder.read(entry);
      },
    };
    const done = await ingest({
      source: gated,
      vaults: s.vaults,
      catalog: s.catalog,
      indexer,
      onEvent: (e) => events.push(e.event),
    });
    expect(done.exitCode).toBe(0);
    expect(events.indexOf('metadata')).toBeLessThan(events.indexOf('done'));
    await indexer.drain();
    await s.catalog.close();
  });

  it('indexes after a crash what was secured but not indexed (the persistent queue)', async () => {
    const s = await setup(['ARW', 'RAF', 'ORF']);
    // The crash: files were secured and queued, then the process died before indexing them.
    const store = new MetadataStore(s.catalog);
    const queueOnly: FileIndexer = {
      add: (f) =>
        void store.enqueue([
          { sourceId: f.sourceId, relPath: f.relPath, hash: f.hash, queuedAt: 1 },
        ]),
    };
    await ingest({
      source: new FolderSource(s.card),
      vaults: s.vaults,
      catalog: s.catalog,
      indexer: queueOnly,
    });
    await s.catalog.flushed();
    expect(store.pending()).toHaveLength(3);
    expect(search(s.catalog, '').total).toBe(0);
    const indexer = new MetadataIndexer({
      catalog: s.catalog,
      reader: new ExifToolMetadataReader(exiftool),
    });
    expect(indexer.catchUp()).toBe(3);
    expect(await indexer.drain()).toMatchObject({ files: 3, ok: 3 });
    expect(store.pending()).toHaveLength(0);
    expect(search(s.catalog, 'format:ARW OR format:RAF OR format:ORF').total).toBe(3);
    await s.catalog.close();
  });

  it('does nothing for a re-inserted card, and reads nothing for the same content on another card', async () => {
    const s = await setup(['CR2', 'JPEG', 'XMP']);
    const reader = countingReader();
    const events: IndexEvent[] = [];
    const indexer = new MetadataIndexer({
      catalog: s.catalog,
      reader,
      onEvent: (e) => events.push(e),
    });
    await ingest({
      source: new FolderSource(s.card),
      vaults: s.vaults,
      catalog: s.catalog,
      indexer,
    });
    await indexer.drain();
    await ingest({
      source: new FolderSource(s.card),
      vaults: s.vaults,
      catalog: s.catalog,
      indexer,
    });
    expect(await indexer.drain()).toMatchObject({ files: 0 });
    const second = join(s.dir, 'card2');
    await fs.cp(s.card, second, { recursive: true });
    await ingest({
      source: new FolderSource(second),
      vaults: s.vaults,
      catalog: s.catalog,
      indexer,
    });
    expect(await indexer.drain()).toMatchObject({ files: 3, known: 3, captures: 1 });
    expect(reader.paths).toHaveLength(3);
    expect(search(s.catalog, 'format:CR2').total).toBe(2);
    await s.catalog.close();
  });

  it('updates a capture in place when its sidecar is edited in a hot folder and backed up again', async () => {
    const s = await setup(['CR2', 'XMP']);
    const indexer = new MetadataIndexer({
      catalog: s.catalog,
      reader: new ExifToolMetadataReader(exiftool),
    });
    const session = await IngestSession.open({ vaults: s.vaults, catalog: s.catalog, indexer });
    const folder = new FolderSource(s.card);
    // A hot folder keeps its identity while its files change (a card would become a new source).
    const identity = { ...(await folder.identify()), kind: 'hotfolder' as const };
    const backUp = async (): Promise<void> => {
      const entries = [];
      for await (const e of folder.entries(() => undefined)) entries.push(e);
      const job = await session.startJob(folder, identity);
      await job.add(entries);
      await job.finish();
      await indexer.drain();
    };
    await backUp();
    expect(search(s.catalog, 'rating:5 label:red').total).toBe(1);
    const xmp = join(s.card, 'DCIM/100CANON/IMG_0001.XMP');
    await fs.writeFile(
      xmp,
      (await fs.readFile(xmp, 'utf8'))
        .replace('xmp:Rating="5"', 'xmp:Rating="2"')
        .replace('xmp:Label="Red"', 'xmp:Label="Green"'),
    );
    await backUp();
    await session.close();
    expect(search(s.catalog, '').total).toBe(1);
    expect(search(s.catalog, 'rating:5').total).toBe(0);
    expect(search(s.catalog, 'rating:2 label:green format:CR2').total).toBe(1);
    await s.catalog.close();
  });

  it('rebuilds captures on request, e.g. after their tier changed', async () => {
    const s = await setup(['CR2', 'XMP']);
    const indexer = new MetadataIndexer({
      catalog: s.catalog,
      reader: new ExifToolMetadataReader(exiftool),
    });
    await ingest({
      source: new FolderSource(s.card),
      vaults: s.vaults,
      catalog: s.catalog,
      indexer,
    });
    await indexer.drain();
    const capture = search(s.catalog, '').captures[0]!;
    for (const f of capture.files) {
      const record = s.catalog.file(capture.sourceId, f.relPath)!;
      await s.catalog.commitFile({
        hash: record.hash,
        size: record.size,
        copies: [],
        file: { ...record, tier: 'critical' },
      });
    }
    expect(search(s.catalog, 'tier:critical').total).toBe(0);
    const stores = indexer.stores;
    expect(await reindexCaptures(stores, [capture.captureId, 'card-none/x' as CaptureId], 2)).toBe(
      1,
    );
    expect(search(s.catalog, 'tier:critical').total).toBe(1);
    expect(search(s.catalog, 'tier:standard').total).toBe(0);
    await s.catalog.close();
  });

  it('records a file whose copies cannot be read as unreadable, with the reason', async () => {
    const s = await setup(['JPEG']);
    const events: IndexEvent[] = [];
    const observed = new MetadataIndexer({
      catalog: s.catalog,
      reader: new ExifToolMetadataReader(exiftool),
      detect: () => Promise.reject(new Error('EIO: i/o error')),
      onEvent: (e) => events.push(e),
    });
    await ingest({
      source: new FolderSource(s.card),
      vaults: s.vaults,
      catalog: s.catalog,
      indexer: observed,
    });
    await observed.drain();
    expect(events[0]).toMatchObject({
      event: 'metadata',
      status: 'unreadable',
    });
    expect((events[0] as { reason: string }).reason).toContain('EIO: i/o error');
    expect(search(s.catalog, 'meta:unreadable').total).toBe(1);
    expect(observed.captures.count()).toBe(1);
    await s.catalog.close();
  });
});
