import type { ErrorCode } from './errors.js';
import type { ContentHash, JobId, VaultId } from './ids.js';
import type { SourceRef } from './source.js';
import type { TierName } from './tier.js';
import type { NotCopiedFile, ShortFile, TierStatus } from './tier-status.js';

export interface VaultRef {
  readonly id: VaultId;
  readonly label: string;
  readonly root: string;
}

/**
 * How a file ended in this ingest: written now, already held (same content from another
 * source or an earlier path), or skipped by the fast path because nothing changed.
 */
export type FileOutcome = 'copied' | 'deduplicated' | 'unchanged';

export interface IngestStartEvent {
  readonly event: 'start';
  readonly jobId: JobId;
  readonly source: SourceRef;
  readonly vaults: readonly VaultRef[];
  readonly files: number;
  readonly bytes: number;
}

export interface IngestFileEvent {
  readonly event: 'file';
  /** Path relative to the source root. */
  readonly path: string;
  readonly hash: ContentHash;
  readonly bytes: number;
  readonly tier: TierName;
  readonly outcome: FileOutcome;
  /** Vault-relative path of each verified copy, by vault label. */
  readonly copies: readonly { readonly vault: string; readonly path: string }[];
  /** Labels of the vaults this file has no verified copy on. */
  readonly missing: readonly string[];
}

export interface IngestProgressEvent {
  readonly event: 'progress';
  readonly files: number;
  readonly filesTotal: number;
  readonly bytes: number;
  readonly bytesTotal: number;
  readonly bytesPerSecond: number;
  readonly etaSeconds: number | null;
}

export interface IngestProblemEvent {
  readonly event: 'warning' | 'error';
  readonly code: ErrorCode;
  readonly message: string;
  readonly path?: string;
  readonly vault?: string;
}

export interface IngestDoneEvent {
  readonly event: 'done';
  readonly jobId: JobId;
  readonly files: number;
  readonly copied: number;
  readonly deduplicated: number;
  readonly unchanged: number;
  readonly failed: number;
  /** Files that ended with fewer verified copies than their tier requires. */
  readonly degraded: number;
  /** Files not copied because every vault is below their tier's reserve (the `wait` policy). */
  readonly waiting: number;
  /** Bytes written to all vaults together (two vaults: twice the new data). */
  readonly bytesWritten: number;
  readonly bytesRead: number;
  readonly durationMs: number;
  readonly vaults: readonly (VaultRef & {
    readonly available: boolean;
    readonly problem?: string;
  })[];
  /** Per tier, in copy order: captures and bytes total, copied, short, not copied, per vault. */
  readonly tiers: readonly TierStatus[];
  /** Files with fewer copies than their tier requires, and where their copies are. */
  readonly short: readonly ShortFile[];
  /** Files without any copy (waiting for space, or failed). */
  readonly notCopied: readonly NotCopiedFile[];
  /** Every file has every copy its tier requires, verified as its tier requires. */
  readonly safeToFormat: boolean;
  /** 0 safe to format and every vault available; 1 some files failed, lack a copy or wait. */
  readonly exitCode: 0 | 1;
}

export type IngestEvent =
  IngestStartEvent | IngestFileEvent | IngestProgressEvent | IngestProblemEvent | IngestDoneEvent;

/** What a scrub found wrong with one copy. */
export type CopyProblem = 'missing' | 'mismatch' | 'unreadable';

export type ScrubEvent =
  | { readonly event: 'start'; readonly vaults: readonly VaultRef[]; readonly copies: number }
  | {
      readonly event: 'problem';
      readonly vault: string;
      readonly path: string;
      readonly hash: ContentHash;
      readonly problem: CopyProblem;
      readonly detail: string;
    }
  | {
      readonly event: 'repaired';
      readonly vault: string;
      readonly path: string;
      /** Label of the vault whose good copy was used. */
      readonly from: string;
      /** Where the bad copy was moved, when there was one. */
      readonly quarantined?: string;
    }
  | IngestProblemEvent
  | {
      readonly event: 'done';
      readonly checked: number;
      readonly ok: number;
      readonly repaired: number;
      readonly unrepairable: number;
      readonly durationMs: number;
      /** 0 every copy is good now (after repairs); 1 some copy could not be repaired. */
      readonly exitCode: 0 | 1;
    };
