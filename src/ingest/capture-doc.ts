import {
  captureIdOf,
  type CaptureEditStore,
  type CaptureId,
  type CaptureStore,
  type Catalog,
  type DocFile,
  type MetadataStore,
  type SearchDoc,
} from '../catalog/index.js';
import type { SourceId } from '../core/index.js';
import { FORMATS, isMediaFormat, mergeCapture } from '../media/index.js';
import { captureKeyOf } from './plan.js';

export interface CaptureStores {
  readonly catalog: Catalog;
  readonly metadata: MetadataStore;
  readonly captures: CaptureStore;
  /** The photographer's edits (web page culling): they stay over the files' metadata. */
  readonly edits: CaptureEditStore;
}

/**
 * A capture's search document from what the catalog knows now: its files (the ones already
 * in it plus `add`), each file's record and metadata, merged, with the photographer's edit
 * over the camera's values. Synchronous: called inside the transaction that stores the
 * metadata it reads, so an edit made meanwhile is either read here or applies itself after.
 */
export function buildCaptureDoc(
  stores: CaptureStores,
  sourceId: SourceId,
  relPaths: readonly string[],
): SearchDoc | undefined {
  const key = captureKeyOf(relPaths[0] ?? '');
  const id: CaptureId = captureIdOf(sourceId, key);
  const existing = stores.captures.get(id);
  const paths = [
    ...new Set([...(existing?.files.map((f) => f.relPath) ?? []), ...relPaths]),
  ].sort();
  const files: DocFile[] = [];
  const members = [];
  for (const relPath of paths) {
    const record = stores.catalog.file(sourceId, relPath);
    if (record === undefined) continue;
    const meta = stores.metadata.get(record.hash);
    const format = meta?.format ?? 'unknown';
    files.push({
      relPath,
      hash: record.hash,
      size: record.size,
      format,
      kind: meta?.kind ?? (isMediaFormat(format) ? FORMATS[format].kind : 'unknown'),
      tier: record.tier,
      ...(meta === undefined ? {} : { status: meta.status }),
      ...(meta?.reason === undefined ? {} : { reason: meta.reason }),
    });
    if (meta !== undefined)
      members.push({ format: meta.format, kind: meta.kind, metadata: meta.metadata });
  }
  if (files.length === 0) return undefined;
  const metadata = mergeCapture(members);
  const captureTime =
    metadata.captureTime ??
    Math.min(...paths.map((p) => stores.catalog.file(sourceId, p)?.captureTime ?? Infinity));
  return stores.edits.overlaySync({
    captureId: id,
    sourceId,
    sourceName: stores.catalog.source(sourceId)?.identity.name ?? sourceId,
    captureKey: key,
    files,
    metadata: Number.isFinite(captureTime) ? { ...metadata, captureTime } : metadata,
    facets: existing?.facets ?? {},
  });
}

/**
 * Rebuilds captures' search documents from the catalog as it is now (after a tier change, a
 * re-read of metadata, a repair), in one transaction; edits made on the box stay. Returns how
 * many were rebuilt.
 */
export async function reindexCaptures(
  stores: CaptureStores,
  ids: readonly CaptureId[],
  now: number,
): Promise<number> {
  return stores.catalog.transaction(() => {
    const docs = ids.flatMap((id) => {
      const capture = stores.captures.get(id);
      if (capture === undefined) return [];
      const doc = buildCaptureDoc(
        stores,
        capture.sourceId,
        capture.files.map((f) => f.relPath),
      );
      return doc === undefined ? [] : [doc];
    });
    stores.captures.putSync(docs, now);
    return docs.length;
  });
}
