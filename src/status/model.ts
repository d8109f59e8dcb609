import type {
  ErrorCode,
  IngestProgressEvent,
  JobId,
  JobStatus,
  TierName,
  VaultId,
} from '../core/index.js';

/**
 * Where the card in the reader is. `safe`: the box is done with it and has unmounted it (the
 * job's `safeToFormat` says whether it may be formatted); `pulled`: removed before the box was
 * done (it resumes when it comes back); `unreadable`: it cannot be mounted or listed;
 * `failed`: the box could not back it up (no SSD connected, the catalog failed).
 */
export type CardPhase =
  | 'none'
  | 'detected'
  | 'mounting'
  | 'scanning'
  | 'copying'
  | 'verifying'
  | 'unmounting'
  | 'safe'
  | 'pulled'
  | 'unreadable'
  | 'failed';

/** How far a copy is: the ingest's own progress event, without its tag. */
export type CopyProgress = Omit<IngestProgressEvent, 'event'>;

export interface CardView {
  readonly phase: CardPhase;
  /** Device node of the card's volume. */
  readonly device?: string;
  /** Volume label (or folder name). */
  readonly name?: string;
  /** An earlier backup of this card was interrupted (power cut, pulled): this one finishes it. */
  readonly resumed?: boolean;
  readonly progress?: CopyProgress;
  /** The tier being copied now. */
  readonly tier?: TierName;
  /** The job's status per tier: live while copying, final once done. */
  readonly job?: JobStatus;
  /** What went wrong, in words (unreadable, pulled). */
  readonly problem?: string;
}

/** The last card the box finished with: the verdict stays on screen after it is removed. */
export interface LastCard {
  readonly name: string;
  readonly jobId: JobId;
  readonly safeToFormat: boolean;
  readonly files: number;
  readonly bytes: number;
  /** Files short of a copy or not copied. */
  readonly notSafe: number;
  /** It was pulled before the box was done. */
  readonly interrupted: boolean;
  readonly at: number;
}

export type TetherPhase = 'off' | 'idle' | 'connecting' | 'connected' | 'reconnecting';

export interface TetherView {
  readonly phase: TetherPhase;
  readonly camera?: string;
  /** Shots secured on every vault this session / failed / short of a copy. */
  readonly shots: number;
  readonly failed: number;
  readonly degraded: number;
  readonly lastShot?: string;
  readonly problem?: string;
}

export type SyncPhase = 'off' | 'offline' | 'waiting' | 'syncing' | 'synced' | 'failed';

export interface SyncView {
  readonly phase: SyncPhase;
  /** The NAS, as the sync runner names it. */
  readonly target?: string;
  readonly ssid?: string;
  /** Why it does not sync now (unknown Wi-Fi, NAS not answering …), from the sync watch. */
  readonly waitingFor?: string;
  readonly progress?: {
    readonly files: number;
    readonly filesTotal: number;
    readonly bytes: number;
  };
  readonly lastSyncedAt?: number;
  /** Files pushed by the last run. */
  readonly pushed?: number;
  readonly problem?: string;
}

export type PowerSource = 'mains' | 'battery' | 'unknown';
export type PowerLevel = 'ok' | 'low' | 'critical';

export interface PowerView {
  readonly source: PowerSource;
  readonly level: PowerLevel;
  readonly percent?: number;
  readonly volts?: number;
  /** No gauge fitted (or it does not answer). */
  readonly gauge: 'none' | 'ok' | 'failed';
}

export interface VaultView {
  readonly label: string;
  readonly id?: VaultId;
  readonly present: boolean;
  readonly root?: string;
  readonly problem?: string;
}

/** A problem the photographer should know about, in words. */
export interface BoxProblem {
  readonly code: ErrorCode;
  readonly message: string;
  readonly at: number;
}

export type BoxMode = 'starting' | 'running' | 'shutting-down' | 'off' | 'stopped';
export type ShutdownReason = 'battery' | 'button' | 'stop';

/**
 * Everything the box shows, as one typed snapshot: the e-ink screen, the LEDs, `fieldbackup
 * status` and (later) the web page are all drawn from it.
 */
export interface BoxStatus {
  readonly mode: BoxMode;
  readonly shutdownReason?: ShutdownReason;
  /** When this snapshot was taken (ms since the epoch). */
  readonly at: number;
  readonly card: CardView;
  readonly lastCard?: LastCard;
  readonly tether: TetherView;
  readonly sync: SyncView;
  readonly power: PowerView;
  readonly vaults: readonly VaultView[];
  /** The most recent problems, newest first (at most a few). */
  readonly problems: readonly BoxProblem[];
  /**
   * The web page's pairing code, for the e-ink screen only: a secret, so it is not in
   * `boxStatusLines` and never in the web page's status.
   */
  readonly pairing?: { readonly code: string; readonly expiresAt: number };
}

export const INITIAL_STATUS: BoxStatus = {
  mode: 'starting',
  at: 0,
  card: { phase: 'none' },
  tether: { phase: 'off', shots: 0, failed: 0, degraded: 0 },
  sync: { phase: 'off' },
  power: { source: 'unknown', level: 'ok', gauge: 'none' },
  vaults: [],
  problems: [],
};

export type BusyCardPhase =
  'detected' | 'mounting' | 'scanning' | 'copying' | 'verifying' | 'unmounting';

const BUSY: readonly CardPhase[] = [
  'detected',
  'mounting',
  'scanning',
  'copying',
  'verifying',
  'unmounting',
];

/** Card phases in which the box works on the card (the reader must not be emptied). */
export function cardBusy(phase: CardPhase): phase is BusyCardPhase {
  return BUSY.includes(phase);
}
