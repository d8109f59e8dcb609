import { brotliCompressSync, brotliDecompressSync, constants } from 'node:zlib';
import type { Database } from 'lmdb';
import type { ContentHash, MediaMetadata, MetadataStatus } from '../core/index.js';
import type { Catalog } from './catalog.js';

/** What is known about one content's metadata (by xxh128: every copy of the bytes shares it). */
export interface MetadataRecord {
  readonly status: MetadataStatus;
  readonly reason?: string;
  readonly warnings: readonly string[];
  /** The detector's format ("CR3", "unknown"), kind ("raw", "sidecar"…). */
  readonly format: string;
  readonly kind: string;
  readonly metadata: MediaMetadata;
  readonly exiftoolVersion: string;
  readonly readAt: number;
  /** Bytes of the full tag set before compression. */
  readonly tagBytes: number;
}

/** A file waiting to be indexed: its record is written when it is secured, removed when indexed. */
export interface PendingIndex {
  readonly sourceId: string;
  readonly relPath: string;
  readonly hash: ContentHash;
  readonly queuedAt: number;
}

/**
 * Normalized metadata per content hash, and ExifTool's full tag set beside it (JSON, brotli
 * compressed: 5–10× smaller) so that nothing read from a file is lost.
 */
export class MetadataStore {
  private readonly records: Database<MetadataRecord, ContentHash>;
  private readonly tagSets: Database<Uint8Array, ContentHash>;
  private readonly queue: Database<PendingIndex, [string, string]>;

  constructor(private readonly catalog: Catalog) {
    this.records = catalog.openDb('metadata');
    this.tagSets = catalog.openDb('metadata-tags', { encoding: 'binary' });
    this.queue = catalog.openDb('metadata-pending');
  }

  get(hash: ContentHash): MetadataRecord | undefined {
    return this.records.get(hash);
  }

  has(hash: ContentHash): boolean {
    return this.records.doesExist(hash);
  }

  /** The full tag set as read (undefined when the content was never read). */
  tags(hash: ContentHash): Record<string, { val: unknown; num?: unknown }> | undefined {
    const stored = this.tagSets.get(hash);
    if (stored === undefined) return undefined;
    return JSON.parse(brotliDecompressSync(stored).toString('utf8')) as Record<
      string,
      { val: unknown; num?: unknown }
    >;
  }

  /** Puts a record and its tags inside the caller's transaction (with the capture update). */
  putSync(hash: ContentHash, record: Omit<MetadataRecord, 'tagBytes'>, tags: object): void {
    const json = Buffer.from(JSON.stringify(tags), 'utf8');
    const compressed = brotliCompressSync(json, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: 5,
        [constants.BROTLI_PARAM_SIZE_HINT]: json.length,
      },
    });
    this.records.putSync(hash, { ...record, tagBytes: json.length });
    this.tagSets.putSync(hash, compressed);
  }

  async enqueue(items: readonly PendingIndex[]): Promise<void> {
    if (items.length === 0) return;
    await this.catalog.transaction(() => {
      for (const i of items) this.queue.putSync([i.sourceId, i.relPath], i);
    });
  }

  dequeueSync(sourceId: string, relPath: string): void {
    this.queue.removeSync([sourceId, relPath]);
  }

  pending(): PendingIndex[] {
    return [...this.queue.getRange()].map((e) => e.value);
  }
}
