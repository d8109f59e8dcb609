import type { NetworkInfo, NetworkState } from '../hardware/ports/index.js';
import type { SyncView } from '../status/index.js';
import type { StatusStore } from './status-store.js';
import type { SyncResult, SyncRunner } from './sync-seam.js';
import type { VaultPool } from './vault-pool.js';
import type { WorkTracker } from './work-tracker.js';

/** The sync region's work: the network watch, and one run of the NAS sync at a time. */
export class SyncWorker {
  constructor(
    private readonly runner: SyncRunner,
    private readonly network: NetworkState,
    private readonly pool: VaultPool,
    private readonly store: StatusStore,
    private readonly work: WorkTracker,
    private readonly clock: { now(): Date },
  ) {}

  watch(onNetwork: (info: NetworkInfo) => void): () => void {
    const seen = (info: NetworkInfo): void => {
      this.store.patch((s) => ({
        sync: {
          ...s.sync,
          target: this.runner.target,
          ...(info.ssid === undefined ? {} : { ssid: info.ssid }),
        },
      }));
      onNetwork(info);
    };
    const stop = this.network.watch(seen);
    void this.network.current().then(seen, () => undefined);
    return stop;
  }

  isHome(info: NetworkInfo): boolean {
    return this.runner.isHome(info);
  }

  run(signal: AbortSignal): Promise<SyncResult> {
    return this.work.track(this.once(signal));
  }

  private async once(signal: AbortSignal): Promise<SyncResult> {
    this.patch({ progress: { files: 0, filesTotal: 0, bytes: 0 } });
    try {
      const result = await this.runner.run({
        signal,
        vaults: this.pool.present(),
        onProgress: (progress) => this.patch({ progress }),
      });
      if (result.problem !== undefined) throw new Error(result.problem);
      this.store.patch((s) => {
        const { progress: _p, problem: _q, ...rest } = s.sync;
        return {
          sync: { ...rest, pushed: result.pushed, lastSyncedAt: this.clock.now().getTime() },
        };
      });
      return result;
    } catch (err) {
      const problem = err instanceof Error ? err.message : String(err);
      this.patch({ problem });
      if (!signal.aborted) this.store.problem('E_IO', `NAS sync: ${problem}`);
      throw err;
    }
  }

  private patch(change: Partial<SyncView>): void {
    this.store.patch((s) => ({ sync: { ...s.sync, ...change } }));
  }
}
