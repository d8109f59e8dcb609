import { join } from 'node:path';
import {
  CaptureEditStore,
  CaptureStore,
  captureIdOf,
  MetadataStore,
  type Catalog,
  type MetadataRecord,
  type SearchDoc,
} from '../catalog/index.js';
import {
  errorMessage,
  silentLogger,
  systemClock,
  type Clock,
  type ContentHash,
  type FileOutcome,
  type IndexEvent,
  type JobId,
  type Logger,
  type SourceId,
  type TierName,
} from '../core/index.js';
import {
  detectFile,
  FORMATS,
  type DetectedFormat,
  type MetadataReader,
  type MetadataReading,
} from '../media/index.js';
import { forEachConcurrent } from '../platform/index.js';
import { buildCaptureDoc, type CaptureStores } from './capture-doc.js';
import { captureKeyOf } from './plan.js';

/** A file that was just secured, with where its verified copies are. */
export interface SecuredFileNotice {
  readonly sourceId: SourceId;
  /** The job that secured it (absent for files queued again after a restart). */
  readonly jobId?: JobId;
  readonly relPath: string;
  readonly hash: ContentHash;
  readonly tier: TierName;
  readonly outcome: FileOutcome;
  /** Absolute paths of its verified copies in the vaults, the one to read first first. */
  readonly copies: readonly string[];
}

/** What an ingest session hands every secured file to (the metadata indexer, or nothing). */
export interface FileIndexer {
  add(file: SecuredFileNotice): void;
}

export interface MetadataIndexerOptions {
  readonly catalog: Catalog;
  readonly reader: MetadataReader;
  /** Files read at once (ExifTool's process pool is the limit). */
  readonly concurrency?: number;
  readonly clock?: Clock;
  readonly logger?: Logger;
  readonly onEvent?: (event: IndexEvent) => void;
  /** The content detector; tests may slow it down. Default: detectFile. */
  readonly detect?: (path: string) => Promise<DetectedFormat>;
}

/** Files committed per transaction, at most. */
const BATCH = 32;

interface Counts {
  files: number;
  ok: number;
  partial: number;
  unreadable: number;
  known: number;
  captures: Set<string>;
}

/**
 * Indexes secured files in the background, pipelined with copying: reads the metadata of the
 * vault copy (never the card), stores it with the full tag set, and updates the file's capture
 * in the search index, in one transaction per batch. Files wait in a persistent queue, so what
 * a crash interrupted is indexed by the next `catchUp()`. Never throws for a file: an
 * unreadable one is recorded as such, with the reason.
 */
export class MetadataIndexer implements FileIndexer {
  readonly metadata: MetadataStore;
  readonly captures: CaptureStore;
  readonly edits: CaptureEditStore;
  private readonly queue: SecuredFileNotice[] = [];
  private running: Promise<void> | undefined;
  private persisted: Promise<void> = Promise.resolve();
  private counts: Counts = MetadataIndexer.zero();
  private startedMs: number | undefined;

  constructor(private readonly options: MetadataIndexerOptions) {
    this.metadata = new MetadataStore(options.catalog);
    this.captures = new CaptureStore(options.catalog);
    this.edits = new CaptureEditStore(options.catalog);
  }

  /** The stores a capture's document is built from (for `reindexCaptures`). */
  get stores(): CaptureStores {
    const { metadata, captures, edits } = this;
    return { catalog: this.options.catalog, metadata, captures, edits };
  }

  private static zero(): Counts {
    return { files: 0, ok: 0, partial: 0, unreadable: 0, known: 0, captures: new Set() };
  }

  private get clock(): Clock {
    return this.options.clock ?? systemClock;
  }

  add(file: SecuredFileNotice): void {
    // A re-inserted card: nothing to do for a file its capture already holds, indexed.
    if (file.outcome === 'unchanged' && this.metadata.has(file.hash)) {
      const capture = this.captures.get(captureIdOf(file.sourceId, captureKeyOf(file.relPath)));
      if (capture?.files.some((f) => f.relPath === file.relPath && f.hash === file.hash) === true)
        return;
    }
    this.startedMs ??= this.clock.monotonicMs();
    this.queue.push(file);
    // Remembered before it is read, so a crash before indexing leaves it for catchUp().
    const persist = this.metadata.enqueue([
      {
        sourceId: file.sourceId,
        relPath: file.relPath,
        hash: file.hash,
        queuedAt: this.clock.now().getTime(),
      },
    ]);
    this.persisted = this.persisted
      .then(() => persist)
      .catch((err: unknown) =>
        this.log(`cannot queue ${file.relPath} for indexing: ${errorMessage(err)}`),
      );
    this.kick();
  }

  private kick(): void {
    if (this.running !== undefined) return;
    this.running = this.work().finally(() => {
      this.running = undefined;
      // A file added while the last batch was committing.
      if (this.queue.length > 0) this.kick();
    });
  }

  /**
   * Queues what an earlier run left unindexed: the persistent queue, read from the copies the
   * catalog knows (vault roots as last seen). Returns how many files were queued.
   */
  catchUp(): number {
    let n = 0;
    for (const p of this.metadata.pending()) {
      const record = this.options.catalog.file(p.sourceId as SourceId, p.relPath);
      if (record === undefined) continue;
      this.add({
        sourceId: record.sourceId,
        relPath: record.relPath,
        hash: record.hash,
        tier: record.tier,
        outcome: 'copied',
        copies: this.copiesOf(record.hash),
      });
      n++;
    }
    return n;
  }

  private copiesOf(hash: ContentHash): string[] {
    const catalog = this.options.catalog;
    return Object.entries(catalog.object(hash)?.copies ?? {}).flatMap(([vaultId, copy]) => {
      const root = [...catalog.allVaults()].find((v) => v.id === vaultId)?.lastRoot;
      return root === undefined ? [] : [join(root, 'Photos', ...copy.path.split('/'))];
    });
  }

  /** Resolves once every file handed over so far is indexed (no summary, unlike drain). */
  async idle(): Promise<void> {
    while (this.running !== undefined) await this.running;
    await this.persisted;
  }

  /** Waits until every queued file is indexed; emits and returns the `indexed` summary. */
  async drain(): Promise<Extract<IndexEvent, { event: 'indexed' }>> {
    await this.idle();
    const c = this.counts;
    const summary: Extract<IndexEvent, { event: 'indexed' }> = {
      event: 'indexed',
      files: c.files,
      ok: c.ok,
      partial: c.partial,
      unreadable: c.unreadable,
      known: c.known,
      captures: c.captures.size,
      durationMs:
        this.startedMs === undefined ? 0 : Math.round(this.clock.monotonicMs() - this.startedMs),
    };
    this.counts = MetadataIndexer.zero();
    this.startedMs = undefined;
    this.options.onEvent?.(summary);
    return summary;
  }

  private log(message: string): void {
    (this.options.logger ?? silentLogger).log('error', message);
  }

  private async work(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, BATCH);
      try {
        await this.indexBatch(batch);
      } catch (err) {
        // A catalog failure: the files stay in the persistent queue for the next catchUp().
        this.log(`metadata indexing failed for ${batch.length} files: ${errorMessage(err)}`);
      }
    }
  }

  private async indexBatch(batch: readonly SecuredFileNotice[]): Promise<void> {
    const fresh = new Map<
      ContentHash,
      { record: Omit<MetadataRecord, 'tagBytes'>; tags: object }
    >();
    await forEachConcurrent(batch, this.options.concurrency ?? 2, async (file) => {
      if (this.metadata.has(file.hash) || fresh.has(file.hash)) return;
      fresh.set(file.hash, await this.readCopy(file));
    });
    await this.persisted;
    const now = this.clock.now().getTime();
    const byCapture = new Map<string, { sourceId: SourceId; relPaths: string[] }>();
    for (const file of batch) {
      const key = `${file.sourceId}/${captureKeyOf(file.relPath)}`;
      const entry = byCapture.get(key) ?? { sourceId: file.sourceId, relPaths: [] };
      entry.relPaths.push(file.relPath);
      byCapture.set(key, entry);
    }
    await this.options.catalog.transaction(() => {
      for (const [hash, { record, tags }] of fresh) this.metadata.putSync(hash, record, tags);
      for (const file of batch) this.metadata.dequeueSync(file.sourceId, file.relPath);
      const docs: SearchDoc[] = [];
      for (const { sourceId, relPaths } of byCapture.values()) {
        const doc = buildCaptureDoc(this.stores, sourceId, relPaths);
        if (doc !== undefined) docs.push(doc);
      }
      this.captures.putSync(docs, now);
    });
    for (const file of batch)
      this.report(
        file,
        fresh.get(file.hash)?.record ?? this.metadata.get(file.hash),
        fresh.has(file.hash),
      );
    for (const key of byCapture.keys()) this.counts.captures.add(key);
  }

  private report(
    file: SecuredFileNotice,
    record: Omit<MetadataRecord, 'tagBytes'> | undefined,
    read: boolean,
  ): void {
    if (record === undefined) return;
    const c = this.counts;
    c.files++;
    if (!read) c.known++;
    c[record.status]++;
    this.options.onEvent?.({
      event: 'metadata',
      path: file.relPath,
      hash: file.hash,
      format: record.format,
      status: record.status,
      ...(record.reason === undefined ? {} : { reason: record.reason }),
      ...(record.warnings.length === 0 ? {} : { warnings: record.warnings }),
    });
  }

  /** Detects and reads the first copy that can be opened; the others are tried if it cannot. */
  private async readCopy(
    file: SecuredFileNotice,
  ): Promise<{ record: Omit<MetadataRecord, 'tagBytes'>; tags: object }> {
    const detect = this.options.detect ?? detectFile;
    let problem = 'no verified copy to read';
    for (const path of file.copies) {
      let format: DetectedFormat;
      try {
        format = await detect(path);
      } catch (err) {
        problem = `cannot read the copy ${path}: ${errorMessage(err)}`;
        continue;
      }
      const reading = await this.options.reader.read(path);
      return { record: this.toRecord(reading, format), tags: reading.tags };
    }
    return {
      record: {
        status: 'unreadable',
        reason: problem,
        warnings: [],
        format: 'unknown',
        kind: 'unknown',
        metadata: {},
        exiftoolVersion: '',
        readAt: this.clock.now().getTime(),
      },
      tags: {},
    };
  }

  private toRecord(
    reading: MetadataReading,
    format: DetectedFormat,
  ): Omit<MetadataRecord, 'tagBytes'> {
    const known = format.format !== 'unknown';
    return {
      status: reading.status,
      ...(reading.reason === undefined ? {} : { reason: reading.reason }),
      warnings: reading.warnings,
      format: format.format,
      kind: known ? FORMATS[format.format].kind : 'unknown',
      metadata: reading.metadata,
      exiftoolVersion: reading.exiftoolVersion,
      readAt: this.clock.now().getTime(),
    };
  }
}
