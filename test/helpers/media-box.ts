import * as fs from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExifTool } from 'exiftool-vendored';
import {
  generateHostileSet,
  generateMediaSet,
  type HostileFixture,
  type MediaFixture,
} from '../../fixtures/index.js';
import {
  Catalog,
  createExifTool,
  ExifToolMetadataReader,
  ExifToolPlanTagReader,
  FolderSource,
  ingest,
  initVault,
  MetadataIndexer,
  type IndexEvent,
  type IngestDoneEvent,
} from '../../src/index.js';

/** A card of generated media ingested into two vaults with the metadata indexer, for a whole test file. */
export interface MediaBox {
  readonly dir: string;
  readonly card: string;
  readonly vaultA: string;
  readonly vaultB: string;
  readonly home: string;
  readonly fixtures: readonly MediaFixture[];
  readonly hostile: readonly HostileFixture[];
  readonly catalog: Catalog;
  readonly exiftool: ExifTool;
  readonly reader: ExifToolMetadataReader;
  readonly done: IngestDoneEvent;
  readonly indexEvents: readonly IndexEvent[];
  close(): Promise<void>;
}

/** Use in beforeAll; call close() in afterAll (removes the folder). */
export async function mediaBox(
  options: { hostile?: boolean; media?: boolean } = {},
): Promise<MediaBox> {
  const dir = await fs.mkdtemp(join(tmpdir(), 'fb-media-'));
  const card = join(dir, 'card');
  const fixtures = options.media === false ? [] : await generateMediaSet(card);
  const hostile = options.hostile === true ? await generateHostileSet(card) : [];
  const [vaultA, vaultB, home] = [join(dir, 'ssd-a'), join(dir, 'ssd-b'), join(dir, 'home')];
  await initVault(vaultA, { label: 'SSD-A' });
  await initVault(vaultB, { label: 'SSD-B' });
  const catalog = await Catalog.open(home);
  const exiftool = createExifTool();
  const reader = new ExifToolMetadataReader(exiftool);
  const indexEvents: IndexEvent[] = [];
  const indexer = new MetadataIndexer({ catalog, reader, onEvent: (e) => indexEvents.push(e) });
  const done = await ingest({
    source: new FolderSource(card),
    vaults: [vaultA, vaultB],
    catalog,
    tags: new ExifToolPlanTagReader(exiftool),
    indexer,
  });
  await indexer.drain();
  return {
    dir,
    card,
    vaultA,
    vaultB,
    home,
    fixtures,
    hostile,
    catalog,
    exiftool,
    reader,
    done,
    indexEvents,
    close: async () => {
      await exiftool.end();
      await catalog.close();
      await fs.rm(dir, { recursive: true, force: true });
    },
  };
}
