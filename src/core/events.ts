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
  | {
      /** The vault disagrees with its own ASC MHL history (what `ascmhl verify` would report). */
      readonly event: 'mhl-problem';
      readonly vault: string;
      /** chain: a generation the chain file does not vouch for; missing: a listed file that is gone. */
      readonly kind: 'chain' | 'missing';
      /** The generation file (chain) or the Photos/-relative path (missing). */
      readonly path: string;
      readonly detail: string;
    }
  | IngestProblemEvent
  | {
      readonly event: 'done';
      readonly checked: number;
      readonly ok: number;
      readonly repaired: number;
      readonly unrepairable: number;
      /** Disagreements between the vaults and their ASC MHL histories. */
      readonly mhlProblems: number;
      readonly durationMs: number;
      /** 0 every copy is good now (after repairs) and every history holds; 1 otherwise. */
      readonly exitCode: 0 | 1;
    };

/** Background metadata indexing, after the copies are safe: one event per file, then a summary. */
export type IndexEvent =
  | {
      readonly event: 'metadata';
      /** Path on the source. */
      readonly path: string;
      readonly hash: ContentHash;
      readonly format: string;
      readonly status: 'ok' | 'partial' | 'unreadable';
      /** Why ExifTool could not read it (the file is backed up byte-exact all the same). */
      readonly reason?: string;
      readonly warnings?: readonly string[];
    }
  | {
      readonly event: 'indexed';
      readonly files: number;
      readonly ok: number;
      readonly partial: number;
      readonly unreadable: number;
      /** Files whose content was indexed before (duplicates, re-inserted cards): no read needed. */
      readonly known: number;
      readonly captures: number;
      readonly durationMs: number;
    };

/** A restore, one object per line with --json. */
export type RestoreEvent =
  | {
      readonly event: 'start';
      readonly query: string;
      readonly to: string;
      readonly captures: number;
      readonly files: number;
      readonly bytes: number;
      readonly vaults: readonly VaultRef[];
    }
  | {
      readonly event: 'file';
      /** Where it was restored, relative to the target folder. */
      readonly path: string;
      /** The file's path on its card. */
      readonly original: string;
      readonly hash: ContentHash;
      readonly bytes: number;
      /** 'present': the same bytes were already there, nothing was written. */
      readonly outcome: 'restored' | 'present';
      /** Label of the vault the bytes came from. */
      readonly vault?: string;
    }
  | {
      readonly event: 'warning' | 'error';
      readonly code: ErrorCode;
      readonly message: string;
      readonly path?: string;
      readonly vault?: string;
      /** For E_RESTORE_MISMATCH: the tags whose values differ from the catalog's. */
      readonly tags?: readonly string[];
    }
  | {
      readonly event: 'done';
      readonly captures: number;
      readonly files: number;
      readonly restored: number;
      readonly present: number;
      readonly failed: number;
      /** Files restored byte-exact whose ExifTool re-read differs from the catalog. */
      readonly mismatched: number;
      readonly bytes: number;
      readonly durationMs: number;
      /** 0 every file restored, verified and identical; 1 otherwise. */
      readonly exitCode: 0 | 1;
    };
