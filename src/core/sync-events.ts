import type { IngestProblemEvent, IngestProgressEvent } from './events.js';
import type { BoxId, ContentHash, VaultId } from './ids.js';
import type { TierName } from './tier.js';

/** The NAS vault a sync writes to, and the box writing. */
export interface SyncStartEvent {
  readonly event: 'start';
  /** Where the NAS vault is: a mounted folder or sftp://user@host:port/path. */
  readonly target: string;
  readonly vault: { readonly id: VaultId; readonly label: string };
  readonly box: { readonly id: BoxId; readonly name: string };
  /** Boxes whose manifests the NAS holds (this one included once it has synced). */
  readonly boxes: number;
  /** Distinct objects (contents) this box holds. */
  readonly files: number;
  /** Objects the NAS lacks, to be sent now, and their bytes. */
  readonly toSend: number;
  readonly bytesToSend: number;
}

/**
 * One object that is on the NAS now: `sent` (transferred and verified), or `adopted` (found
 * already there at its path with the right content, e.g. after an interrupted run).
 */
export interface SyncFileEvent {
  readonly event: 'file';
  readonly hash: ContentHash;
  /** Path under the NAS vault's Photos/. */
  readonly path: string;
  readonly bytes: number;
  readonly tier: TierName;
  readonly outcome: 'sent' | 'adopted';
}

/**
 * Two versions of an edited sidecar or metadata file met at one path: the newest is the
 * current file at `path`, the other is kept beside it at `keptAs`.
 */
export interface SyncConflictEvent {
  readonly event: 'conflict';
  readonly path: string;
  readonly current: ContentHash;
  readonly keptAs: string;
  readonly kept: ContentHash;
}

export interface SyncDoneEvent {
  readonly event: 'done';
  /** Distinct objects this box holds. */
  readonly files: number;
  readonly sent: number;
  readonly adopted: number;
  /** Objects the NAS already had (from an earlier sync or another box). */
  readonly present: number;
  readonly failed: number;
  readonly conflicts: number;
  readonly bytesSent: number;
  /** Bytes read back (or hashed on the NAS) to verify what was sent. */
  readonly bytesVerified: number;
  /** This box's manifest generation written by this run, if any. */
  readonly generation: number | null;
  /** Stopped early (paused, network lost): run again to resume. */
  readonly interrupted: boolean;
  readonly durationMs: number;
  /** 0 every object of this box is verified on the NAS; 1 some are not (failed or interrupted). */
  readonly exitCode: 0 | 1;
}

export type SyncEvent =
  | SyncStartEvent
  | SyncFileEvent
  | SyncConflictEvent
  | IngestProgressEvent
  | IngestProblemEvent
  | SyncDoneEvent;
