import type {
  ContentHash,
  JobId,
  SourceId,
  SourceIdentity,
  TierName,
  VaultId,
  VerificationMode,
} from '../core/index.js';

/** A verified copy of an object in one vault. */
export interface CopyRecord {
  /** Path relative to the vault's Photos/ folder. */
  readonly path: string;
  /** When the copy was last verified, ms since the epoch. */
  readonly verifiedAt: number;
  /** How: read back from the medium, or only the hash taken while the source was read (schema v2). */
  readonly verification: VerificationMode;
}

/** Content known to the box, by xxh128, and where its verified copies are. */
export interface ObjectRecord {
  readonly size: number;
  readonly copies: Readonly<Record<VaultId, CopyRecord>>;
}

/** A file as it was found on a source. */
export interface FileRecord {
  readonly sourceId: SourceId;
  readonly relPath: string;
  readonly hash: ContentHash;
  readonly size: number;
  readonly mtimeMs: number;
  /** Capture time as the camera's wall clock showed it, stored as if UTC; ms. */
  readonly captureTime?: number;
  readonly tier: TierName;
  readonly jobId: JobId;
  readonly recordedAt: number;
}

export interface SourceRecord {
  readonly id: SourceId;
  readonly identity: SourceIdentity;
  readonly firstSeen: number;
  readonly lastSeen: number;
}

export type JobState = 'running' | 'finished' | 'interrupted';

export interface JobCounters {
  readonly files: number;
  readonly copied: number;
  readonly deduplicated: number;
  readonly unchanged: number;
  readonly failed: number;
  readonly degraded: number;
  readonly bytesWritten: number;
}

export interface JobRecord {
  readonly id: JobId;
  readonly sourceId: SourceId;
  readonly sourceLocation: string;
  readonly vaults: readonly VaultId[];
  readonly state: JobState;
  readonly startedAt: number;
  readonly endedAt?: number;
  readonly totalFiles: number;
  readonly totalBytes: number;
  readonly done: JobCounters;
}

/**
 * Written (and flushed) before a copy is renamed into place: after a crash, the file found at
 * `path` is verified against `hash` and adopted, or removed.
 */
export interface IntentRecord {
  readonly vaultId: VaultId;
  readonly path: string;
  readonly hash: ContentHash;
  readonly size: number;
  readonly jobId: JobId;
  readonly createdAt: number;
}

/** A verified copy not yet listed in an ASC MHL generation of its vault. */
export interface PendingMhlListing {
  readonly path: string;
  readonly hash: ContentHash;
  readonly size: number;
  readonly modifiedMs: number;
  readonly hashedAt: number;
  readonly removed?: undefined;
}

/**
 * A listed copy removed on purpose (the stack economy's extra copy) that no generation records
 * as removed yet: the next generation adds it to its ignore list.
 */
export interface PendingMhlRemoval {
  readonly path: string;
  readonly hash: ContentHash;
  readonly size: number;
  readonly removed: true;
  readonly removedAt: number;
}

/**
 * What a vault's next ASC MHL generation owes (LMDB `mhl-pending`, by vault and path). Records
 * from before removals existed are all listings: the shape only gained a variant.
 */
export type PendingMhlRecord = PendingMhlListing | PendingMhlRemoval;

export interface VaultRecord {
  readonly id: VaultId;
  readonly label: string;
  readonly lastRoot: string;
  readonly lastSeen: number;
}

export const EMPTY_COUNTERS: JobCounters = {
  files: 0,
  copied: 0,
  deduplicated: 0,
  unchanged: 0,
  failed: 0,
  degraded: 0,
  bytesWritten: 0,
};
