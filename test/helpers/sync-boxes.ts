import * as fs from 'node:fs/promises';
import { join, relative } from 'node:path';
import {
  Catalog,
  FolderSource,
  ingest,
  initVault,
  type IngestDoneEvent,
  type PlanTagReader,
  type SyncDoneEvent,
  type SyncEvent,
  type TierRule,
} from '../../src/index.js';
import type { ContentHash } from '../../src/core/index.js';
import { hashBytes } from '../../src/platform/index.js';
import {
  Archive,
  LocalRemote,
  readManifests,
  RemoteVault,
  syncToNas,
  type SyncOptions,
} from '../../src/sync/index.js';

/** A box (or a laptop running FieldBackup): its own catalog home and two SSD vaults. */
export interface TestBox {
  readonly name: string;
  readonly home: string;
  readonly vaults: readonly string[];
  readonly catalog: Catalog;
  ingest(
    card: string,
    options?: { tierRule?: TierRule; tags?: PlanTagReader },
  ): Promise<IngestDoneEvent>;
  sync(
    to: string,
    options?: Partial<SyncOptions>,
  ): Promise<{ done: SyncDoneEvent; events: SyncEvent[] }>;
  close(): Promise<void>;
}

export async function makeBox(dir: string, name: string): Promise<TestBox> {
  const home = join(dir, `${name}-home`);
  const vaults = [join(dir, `${name}-ssd-a`), join(dir, `${name}-ssd-b`)];
  await initVault(vaults[0]!, { label: `${name}-A` });
  await initVault(vaults[1]!, { label: `${name}-B` });
  const catalog = await Catalog.open(home);
  return {
    name,
    home,
    vaults,
    catalog,
    ingest: (card, options = {}) =>
      ingest({ source: new FolderSource(card), vaults, catalog, ...options }),
    sync: async (to, options = {}) => {
      const events: SyncEvent[] = [];
      const done = await syncToNas({
        catalog,
        to,
        boxName: name,
        init: true,
        onEvent: (e) => events.push(e),
        ...options,
      });
      return { done, events };
    },
    close: () => catalog.close(),
  };
}

/** Every file under the NAS vault's Photos/ (ASC MHL left out): path → xxh128 and size. */
export async function nasPhotos(
  nas: string,
): Promise<Map<string, { hash: ContentHash; size: number }>> {
  const photos = join(nas, 'Photos');
  const out = new Map<string, { hash: ContentHash; size: number }>();
  const entries = await fs
    .readdir(photos, { recursive: true, withFileTypes: true })
    .catch(() => []);
  for (const d of entries) {
    if (!d.isFile()) continue;
    const rel = relative(photos, join(d.parentPath, d.name));
    if (rel.startsWith('ascmhl/')) continue;
    const bytes = await fs.readFile(join(photos, rel));
    out.set(rel, { hash: hashBytes(bytes), size: bytes.length });
  }
  return out;
}

/** The union of the manifests on a NAS vault folder, as the sync reads it. */
export async function nasArchive(nas: string): Promise<Archive> {
  const vault = await RemoteVault.open(new LocalRemote(nas), { now: new Date() });
  return Archive.build(
    await readManifests(vault, (message) => {
      throw new Error(message);
    }),
  );
}

/** Writes a sidecar next to a card's RAW, with a chosen modification time (an edit in Lightroom). */
export async function writeSidecar(path: string, text: string, mtime: Date): Promise<void> {
  await fs.mkdir(join(path, '..'), { recursive: true });
  await fs.writeFile(path, `<x:xmpmeta><rdf:Description crs:Exposure="${text}"/></x:xmpmeta>\n`);
  await fs.utimes(path, mtime, mtime);
}
