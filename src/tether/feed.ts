import type {
  ContentHash,
  FileOutcome,
  IngestDoneEvent,
  IngestEvent,
  IngestProblemEvent,
  Source,
  SourceEntry,
  SourceIdentity,
  TierName,
} from '../core/index.js';

/** A new file, and when the device announced it (monotonic ms): latency runs from here. */
export interface Shot {
  readonly entry: SourceEntry;
  readonly announcedMs: number;
}

/** What a feed tells the photographer while it runs. */
export type FeedNotice =
  { readonly event: 'waiting'; readonly message: string } | IngestProblemEvent;

/**
 * A source whose files arrive one by one: a tethered camera or a hot folder. The runner
 * connects it, backs up what is there, then each new shot, and reconnects after a loss.
 */
export interface TetherFeed extends Source {
  /** Waits until the device is there (retrying as needed); what is on it now. */
  connect(
    signal: AbortSignal,
    notify: (notice: FeedNotice) => void,
  ): Promise<{
    readonly identity: SourceIdentity;
    readonly existing: readonly SourceEntry[];
    readonly detail: string;
  }>;
  /** The next new shots; throws E_DEVICE_GONE (or E_PROTOCOL) when the link is lost. */
  nextShots(signal: AbortSignal, notify: (notice: FeedNotice) => void): Promise<readonly Shot[]>;
  /**
   * A shot was secured on the vaults, or failed (frees memory, acknowledges transfers). For a
   * failed shot: whether it is still there unchanged, so trying it again makes sense.
   */
  settled(entry: SourceEntry, secured: boolean): Promise<boolean>;
  /** The run is stopping: no more reconnects; transfers in progress finish if the device is still there. */
  finishing?(): void;
  close(): Promise<void>;
}

/** What the runner needs of the ingest engine: `IngestSession` fits it. */
export interface TetherJobHost {
  startJob(
    source: Source,
    identity: SourceIdentity,
    options: { readonly onEvent?: (event: IngestEvent) => void },
  ): Promise<TetherJob>;
}

export interface TetherJob {
  /** Resolves when the entries are secured on the vaults (or failed, reported through events). */
  add(entries: readonly SourceEntry[]): Promise<void>;
  finish(): Promise<IngestDoneEvent>;
}

/** The tether command's JSON lines (`--json`) and the API's events. */
export type TetherEvent =
  | FeedNotice
  | {
      readonly event: 'connected';
      readonly camera: string;
      readonly serial?: string;
      readonly location: string;
      /** Event style (cameras) or watch mode (hot folders). */
      readonly detail: string;
      /** Files found on it at connect; those not yet backed up are backed up now. */
      readonly files: number;
    }
  | {
      readonly event: 'shot';
      readonly file: string;
      readonly bytes: number;
      /** From the camera's announcement (or the file becoming stable) to verified on every vault. */
      readonly latencyMs: number;
      readonly hash: ContentHash;
      readonly tier: TierName;
      readonly outcome: FileOutcome;
      readonly copies: readonly { readonly vault: string; readonly path: string }[];
      readonly missing: readonly string[];
      /** It was already on the device when it connected. */
      readonly atConnect: boolean;
    }
  | { readonly event: 'disconnected'; readonly message: string }
  | {
      readonly event: 'done';
      readonly shots: number;
      readonly failed: number;
      /** Shots secured on fewer vaults than asked for. */
      readonly degraded: number;
      readonly durationMs: number;
      /** 0 every shot verified on every vault; 1 otherwise. */
      readonly exitCode: 0 | 1;
    };
