import type { JobId, VaultId } from './ids.js';
import type { SourceRef } from './source.js';
import type { JobStacks, SingleCopyFile } from './stack.js';
import type { TierName, VerificationMode } from './tier.js';

/** How much of something: captures (a RAW with its JPEG and sidecars is one), files and bytes. */
export interface Amount {
  readonly captures: number;
  readonly files: number;
  readonly bytes: number;
}

/**
 * Where one file of a job stands. `secured`: every copy its tier requires, verified as the tier
 * requires; `short`: at least one such copy, fewer than required; `waiting`: not copied because
 * the vaults are below the tier's reserve (copied by a later ingest once there is room);
 * `failed`: not copied because of an error; `pending`: queued or being copied.
 */
export type FileState = 'pending' | 'secured' | 'short' | 'waiting' | 'failed';

/** One file of a job: its capture, its tier, what the tier requires, and how far copying got. */
export interface JobFileLine {
  readonly relPath: string;
  /** Files with the same folder and stem form one capture. */
  readonly captureKey: string;
  readonly tier: TierName;
  /** The tier's copy order when the file was planned. */
  readonly rank: number;
  readonly size: number;
  readonly copiesRequired: number;
  readonly verification: VerificationMode;
  /** `done`: copying is over (the copies say how well); `waiting`: below the tier's reserve. */
  readonly progress: 'pending' | 'done' | 'waiting' | 'failed';
  /** Why it has fewer copies than required, or none (the message that was reported). */
  readonly reason?: string;
}

/** One tier of a job: what there is, what is done, per vault and in total. */
export interface TierStatus {
  readonly tier: TierName;
  /** Copy order: lower first. */
  readonly rank: number;
  readonly copiesRequired: number;
  readonly verification: VerificationMode;
  readonly total: Amount;
  /** Every copy the tier requires, verified (a capture counts when all its files are). */
  readonly copied: Amount;
  /** Fewer copies than required (on a two-SSD box: a single copy). */
  readonly short: Amount;
  /** No copy: waiting for space, or failed. */
  readonly notCopied: Amount;
  /** Queued or being copied. */
  readonly pending: Amount;
  /** Verified copies on each vault of the job. */
  readonly verified: readonly {
    readonly vault: string;
    readonly vaultId: VaultId;
    readonly amount: Amount;
  }[];
}

/** A file with fewer copies than its tier requires. */
export interface ShortFile {
  readonly path: string;
  readonly tier: TierName;
  readonly required: number;
  /** Labels of the vaults that hold a verified copy. */
  readonly on: readonly string[];
  readonly reason: string;
}

/** A file without any copy. */
export interface NotCopiedFile {
  readonly path: string;
  readonly tier: TierName;
  readonly state: 'waiting' | 'failed';
  readonly reason: string;
}

/**
 * What a job (one card, one camera session) has secured, per tier: the model the CLI prints,
 * the API returns and the box's screen and LEDs show. Persisted in the catalog, so it is the
 * same after a power cut.
 */
export interface JobStatus {
  readonly jobId: JobId;
  readonly source: SourceRef;
  readonly state: 'running' | 'finished' | 'interrupted';
  readonly startedAt: number;
  readonly endedAt?: number;
  readonly vaults: readonly { readonly id: VaultId; readonly label: string }[];
  /** In copy order. */
  readonly tiers: readonly TierStatus[];
  readonly short: readonly ShortFile[];
  readonly notCopied: readonly NotCopiedFile[];
  /** Every file of the job has every copy its tier requires, verified as its tier requires. */
  readonly safeToFormat: boolean;
  /** Bursts and brackets found among the job's files (absent when detection is off). */
  readonly stacks?: JobStacks;
  /** Non-pick frames the stack economy keeps on one verified copy. */
  readonly singleCopy?: readonly SingleCopyFile[];
}
