/** How far a NAS sync run is (shown on the screen and in `fieldbackup status`). */
export interface SyncProgress {
  readonly files: number;
  readonly filesTotal: number;
  readonly bytes: number;
}

/** One NAS sync run, as the sync region sees it. */
export interface SyncResult {
  /** Files the NAS vault now holds that it lacked (sent or adopted). */
  readonly pushed: number;
  readonly bytes: number;
  /** Files that could not be pushed (tried again next time). */
  readonly failed: number;
  /** Stopped early (card, shutdown, network lost): the next run resumes. */
  readonly interrupted: boolean;
}
