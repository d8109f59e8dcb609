import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { open, type Database, type Key, type RootDatabase } from 'lmdb';
import {
  FieldBackupError,
  type ContentHash,
  type JobId,
  type SourceId,
  type VaultId,
  type VerificationMode,
} from '../core/index.js';
import { migrate, SCHEMA_VERSION } from './schema.js';
import type {
  CopyRecord,
  FileRecord,
  IntentRecord,
  JobCounters,
  JobRecord,
  ObjectRecord,
  PendingMhlRecord,
  SourceRecord,
  VaultRecord,
} from './records.js';
import { SyncStore } from './sync-store.js';

type PathKey = [VaultId, string];
type FileKey = [SourceId, string];

/** One verified copy to record, with what the ASC MHL generation will need. */
export interface NewCopy {
  readonly vaultId: VaultId;
  readonly path: string;
  readonly verifiedAt: number;
  readonly modifiedMs: number;
  /** How it was verified; read back from the medium unless said otherwise. */
  readonly verification?: VerificationMode;
}

/** Everything that changes when a file has been secured, committed as one transaction. */
export interface FileCommit {
  readonly hash: ContentHash;
  readonly size: number;
  readonly copies: readonly NewCopy[];
  readonly file?: FileRecord;
  readonly job?: { readonly id: JobId; readonly delta: Partial<JobCounters> };
}

/**
 * The box's catalog in LMDB ($FIELDBACKUP_HOME/catalog). Only transactions, no file I/O: the
 * callers decide what is true on disk, the catalog records it atomically.
 */
export class Catalog {
  private constructor(
    private readonly root: RootDatabase,
    private readonly meta: Database<unknown, string>,
    private readonly objects: Database<ObjectRecord, ContentHash>,
    private readonly objectsBySize: Database<true, [number, ContentHash]>,
    private readonly files: Database<FileRecord, FileKey>,
    private readonly fileRefs: Database<true, [ContentHash, SourceId, string]>,
    private readonly paths: Database<ContentHash, PathKey>,
    private readonly sources: Database<SourceRecord, SourceId>,
    private readonly jobs: Database<JobRecord, JobId>,
    private readonly intents: Database<IntentRecord, PathKey>,
    private readonly mhlPending: Database<PendingMhlRecord, PathKey>,
    private readonly vaults: Database<VaultRecord, VaultId>,
    readonly home: string,
  ) {}

  static async open(home: string): Promise<Catalog> {
    const path = join(home, 'catalog');
    let root: RootDatabase;
    try {
      await mkdir(path, { recursive: true });
      root = open({ path, maxDbs: 64 });
    } catch (err) {
      throw new FieldBackupError(
        'E_CATALOG',
        `cannot open the catalog in ${path}: ${err instanceof Error ? err.message : String(err)}`,
        {
          subject: { path },
          cause: err,
        },
      );
    }
    const db = <V, K extends Key>(name: string): Database<V, K> => root.openDB<V, K>({ name });
    const catalog = new Catalog(
      root,
      db('meta'),
      db('objects'),
      db('objects-by-size'),
      db('files'),
      db('file-refs'),
      db('paths'),
      db('sources'),
      db('jobs'),
      db('intents'),
      db('mhl-pending'),
      db('vaults'),
      home,
    );
    try {
      await migrate(root, catalog.meta, path);
    } catch (err) {
      // A refused catalog must not stay open (and mapped) behind the error.
      await root.close();
      throw err;
    }
    return catalog;
  }

  private syncStore: SyncStore | undefined;

  /** NAS sync state: box id, what was verified on each NAS, pinned host keys. */
  get sync(): SyncStore {
    return (this.syncStore ??= new SyncStore(this));
  }

  get schemaVersion(): number {
    return SCHEMA_VERSION;
  }

  async close(): Promise<void> {
    await this.root.close();
  }

  /**
   * Opens (or creates) a named database in the catalog's environment: the stores of other
   * subsystems (metadata, stacks, sync state) live beside these, in the same transactions.
   */
  openDb<V, K extends Key>(
    name: string,
    options: { readonly encoding?: 'msgpack' | 'binary'; readonly compression?: boolean } = {},
  ): Database<V, K> {
    return this.root.openDB<V, K>({ name, ...options });
  }

  /** Runs `fn` in one write transaction (synchronous puts inside); resolves when committed. */
  transaction<T>(fn: () => T): Promise<T> {
    return this.root.transaction(fn);
  }

  /** Resolves when every committed transaction is on disk. */
  async flushed(): Promise<void> {
    await this.root.flushed;
  }

  object(hash: ContentHash): ObjectRecord | undefined {
    return this.objects.get(hash);
  }

  *allObjects(): Iterable<{ hash: ContentHash; record: ObjectRecord }> {
    for (const { key, value } of this.objects.getRange()) yield { hash: key, record: value };
  }

  hasObjectOfSize(size: number): boolean {
    for (const _ of this.objectsBySize.getKeys({ start: [size], end: [size + 1], limit: 1 }))
      return true;
    return false;
  }

  file(sourceId: SourceId, relPath: string): FileRecord | undefined {
    return this.files.get([sourceId, relPath]);
  }

  *filesOfSource(sourceId: SourceId): Iterable<FileRecord> {
    for (const { value } of this.files.getRange({ start: [sourceId], end: [`${sourceId}\u0000`] }))
      yield value;
  }

  /** Source files whose content is this object. */
  *referencesOf(hash: ContentHash): Iterable<{ sourceId: SourceId; relPath: string }> {
    for (const key of this.fileRefs.getKeys({ start: [hash], end: [`${hash}\u0000`] })) {
      yield { sourceId: key[1], relPath: key[2] };
    }
  }

  /** Which content a vault path holds, if the catalog knows it. */
  pathOwner(vaultId: VaultId, path: string): ContentHash | undefined {
    return this.paths.get([vaultId, path]);
  }

  source(id: SourceId): SourceRecord | undefined {
    return this.sources.get(id);
  }

  job(id: JobId): JobRecord | undefined {
    return this.jobs.get(id);
  }

  *allJobs(): Iterable<JobRecord> {
    for (const { value } of this.jobs.getRange()) yield value;
  }

  vault(id: VaultId): VaultRecord | undefined {
    return this.vaults.get(id);
  }

  *allVaults(): Iterable<VaultRecord> {
    for (const { value } of this.vaults.getRange()) yield value;
  }

  intentsOf(vaultId: VaultId): IntentRecord[] {
    return [...this.intents.getRange({ start: [vaultId], end: [`${vaultId}\u0000`] })].map(
      (e) => e.value,
    );
  }

  pendingMhl(vaultId: VaultId): PendingMhlRecord[] {
    return [...this.mhlPending.getRange({ start: [vaultId], end: [`${vaultId}\u0000`] })].map(
      (e) => e.value,
    );
  }

  putSource(record: SourceRecord): Promise<boolean> {
    return this.sources.put(record.id, record);
  }

  putVault(record: VaultRecord): Promise<boolean> {
    return this.vaults.put(record.id, record);
  }

  putJob(record: JobRecord): Promise<boolean> {
    return this.jobs.put(record.id, record);
  }

  /** Records intents and waits until they are on disk: only then may the copies be renamed into place. */
  async recordIntents(intents: readonly IntentRecord[]): Promise<void> {
    await this.root.transaction(() => {
      for (const i of intents) this.intents.putSync([i.vaultId, i.path], i);
    });
    await this.root.flushed;
  }

  async dropIntents(intents: readonly { vaultId: VaultId; path: string }[]): Promise<void> {
    await this.root.transaction(() => {
      for (const i of intents) this.intents.removeSync([i.vaultId, i.path]);
    });
  }

  /** Records verified copies, the source file and the job's progress in one transaction. */
  async commitFile(commit: FileCommit): Promise<void> {
    await this.root.transaction(() => {
      const existing = this.objects.get(commit.hash);
      const copies: Record<VaultId, CopyRecord> = { ...(existing?.copies ?? {}) };
      for (const c of commit.copies) {
        copies[c.vaultId] = {
          path: c.path,
          verifiedAt: c.verifiedAt,
          verification: c.verification ?? 'read-back',
        };
        this.paths.putSync([c.vaultId, c.path], commit.hash);
        this.intents.removeSync([c.vaultId, c.path]);
        this.mhlPending.putSync([c.vaultId, c.path], {
          path: c.path,
          hash: commit.hash,
          size: commit.size,
          modifiedMs: c.modifiedMs,
          hashedAt: c.verifiedAt,
        });
      }
      this.objects.putSync(commit.hash, { size: commit.size, copies });
      this.objectsBySize.putSync([commit.size, commit.hash], true);
      if (commit.file !== undefined) {
        const f = commit.file;
        const previous = this.files.get([f.sourceId, f.relPath]);
        if (previous !== undefined && previous.hash !== f.hash) {
          this.fileRefs.removeSync([previous.hash, f.sourceId, f.relPath]);
        }
        this.files.putSync([f.sourceId, f.relPath], f);
        this.fileRefs.putSync([f.hash, f.sourceId, f.relPath], true);
      }
      if (commit.job !== undefined) this.applyJobDelta(commit.job.id, commit.job.delta);
    });
  }

  /** Adds to a job's counters (files that fail or are skipped change no object). */
  async countJob(id: JobId, delta: Partial<JobCounters>): Promise<void> {
    await this.root.transaction(() => this.applyJobDelta(id, delta));
  }

  /** Updates a copy's verification after it was read back from the medium and matched (scrub, or a tier that requires it). */
  async markVerified(hash: ContentHash, vaultId: VaultId, verifiedAt: number): Promise<void> {
    await this.root.transaction(() => {
      const obj = this.objects.get(hash);
      const copy = obj?.copies[vaultId];
      if (obj === undefined || copy === undefined) return;
      this.objects.putSync(hash, {
        ...obj,
        copies: { ...obj.copies, [vaultId]: { ...copy, verifiedAt, verification: 'read-back' } },
      });
    });
  }

  async markMhlWritten(vaultId: VaultId, paths: readonly string[]): Promise<void> {
    await this.root.transaction(() => {
      for (const p of paths) this.mhlPending.removeSync([vaultId, p]);
    });
  }

  private applyJobDelta(id: JobId, delta: Partial<JobCounters>): void {
    const job = this.jobs.get(id);
    if (job === undefined) return;
    const done = { ...job.done };
    for (const [k, v] of Object.entries(delta) as [keyof JobCounters, number][]) done[k] += v;
    this.jobs.putSync(id, { ...job, done });
  }
}
