import type { VaultRef } from '../core/index.js';
import type { NetworkInfo } from '../hardware/ports/index.js';

export interface SyncProgress {
  readonly files: number;
  readonly filesTotal: number;
  readonly bytes: number;
}

export interface SyncResult {
  /** Files the NAS vault now holds that it lacked. */
  readonly pushed: number;
  readonly bytes: number;
  /** Files that could not be pushed (tried again next time). */
  readonly failed: number;
  readonly problem?: string;
}

/**
 * What the box's sync region drives: the NAS sync engine (issue 8) plugs in here. The
 * appliance decides when (home network, no card being copied, battery not low) and stops it
 * through `signal` (a card arrives, the box shuts down); the runner decides what and how,
 * resumably.
 */
export interface SyncRunner {
  /** The NAS as the photographer knows it ("studio NAS"). */
  readonly target: string;
  /** Whether this network leads to the NAS (a known Wi-Fi). */
  isHome(network: NetworkInfo): boolean;
  run(request: {
    readonly signal: AbortSignal;
    /** The vaults present now (read only: the sync never writes to them). */
    readonly vaults: readonly VaultRef[];
    readonly onProgress: (progress: SyncProgress) => void;
  }): Promise<SyncResult>;
}
