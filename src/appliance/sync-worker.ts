import type { Catalog } from '../catalog/index.js';
import { errorMessage, type Logger, type SyncEvent } from '../core/index.js';
import type { NetworkState } from '../hardware/ports/index.js';
import type { PowerView, SyncView } from '../status/index.js';
import type { Tiers } from '../tiers/index.js';
import {
  checkSyncReadiness,
  HeldNasLocks,
  syncOptionsFromConfig,
  syncToNas,
  type SyncConfig,
  type SyncFacts,
  type SyncTarget,
} from '../sync/index.js';
import type { StatusStore } from './status-store.js';
import type { SyncResult } from './sync-seam.js';
import type { VaultPool } from './vault-pool.js';
import type { WorkTracker } from './work-tracker.js';

export interface SyncWorkerOptions {
  readonly config: SyncConfig;
  /** The box's tiers: their `sync` ranks order what reaches the NAS first. */
  readonly tiers: Tiers;
  readonly network: NetworkState;
  readonly catalog: Catalog;
  readonly pool: VaultPool;
  readonly store: StatusStore;
  readonly work: WorkTracker;
  readonly clock: { now(): Date };
  readonly logger: Logger;
  /** How often the Wi-Fi and the NAS are looked at. */
  readonly pollMs: number;
  /** Whether the NAS answers (default: issue 8's probe: TCP connect or the mounted folder). */
  readonly answers?: (target: SyncTarget) => Promise<boolean>;
}

/**
 * The sync region's work: a watch that says "home" when the box is on one of the configured
 * Wi-Fi networks and the NAS answers (issue 8's readiness check; card and battery are the
 * statechart's own guards), and one run of `syncToNas` at a time.
 */
export class SyncWorker {
  /** The NAS locks this box holds, so that a lock naming this process is known to be ours. */
  private readonly heldLocks = new HeldNasLocks();

  constructor(private readonly o: SyncWorkerOptions) {}

  /** Calls `onChange(home)` now and whenever the verdict changes; returns `stop`. */
  watch(onChange: (home: boolean) => void): () => void {
    let last: boolean | undefined;
    let busy = false;
    const look = async (): Promise<void> => {
      if (busy) return; // a slow NAS probe: the next tick looks again
      busy = true;
      try {
        const ssid = await this.o.network.currentSsid().catch(() => undefined);
        const readiness = await checkSyncReadiness(
          this.o.config,
          { ssid, ingestRunning: false, ...batteryFacts(this.o.store.get().power) },
          this.o.answers,
        );
        this.o.store.patch((s) => {
          const { ssid: _s, waitingFor: _w, ...rest } = s.sync;
          return {
            sync: {
              ...rest,
              ...(this.o.config.target === undefined ? {} : { target: this.o.config.target }),
              ...(ssid === undefined ? {} : { ssid }),
              ...(readiness.ready ? {} : { waitingFor: readiness.detail }),
            },
          };
        });
        if (readiness.ready !== last) {
          last = readiness.ready;
          onChange(readiness.ready);
        }
      } catch (err) {
        this.o.logger.log('warn', `sync watch: ${errorMessage(err)}`);
      } finally {
        busy = false;
      }
    };
    const timer = setInterval(() => void look(), this.o.pollMs);
    void look();
    return () => clearInterval(timer);
  }

  run(signal: AbortSignal): Promise<SyncResult> {
    return this.o.work.track(this.once(signal));
  }

  private async once(signal: AbortSignal): Promise<SyncResult> {
    const { to, ...login } = syncOptionsFromConfig(this.o.config);
    if (to === undefined) throw new Error('no sync.target in the config');
    this.patch({ progress: { files: 0, filesTotal: 0, bytes: 0 } });
    try {
      const done = await syncToNas({
        catalog: this.o.catalog,
        to,
        ...defined(login),
        vaults: this.o.pool.present().map((v) => v.root),
        tiers: this.o.tiers,
        heldLocks: this.heldLocks,
        signal,
        logger: this.o.logger,
        onEvent: (e) => this.onEvent(e),
      });
      const result: SyncResult = {
        pushed: done.sent + done.adopted,
        bytes: done.bytesSent,
        failed: done.failed,
        interrupted: done.interrupted,
      };
      this.o.store.patch((s) => {
        const { progress: _p, problem: _q, ...rest } = s.sync;
        return {
          sync: {
            ...rest,
            pushed: result.pushed,
            ...(done.interrupted ? {} : { lastSyncedAt: this.o.clock.now().getTime() }),
          },
        };
      });
      if (done.failed > 0 && !done.interrupted)
        throw new Error(`${done.failed} file(s) not on the NAS yet; trying again later`);
      return result;
    } catch (err) {
      const problem = errorMessage(err);
      this.patch({ problem });
      if (!signal.aborted) this.o.store.failure(err);
      throw err;
    }
  }

  private onEvent(e: SyncEvent): void {
    if (e.event === 'start') this.patch({ progress: { files: 0, filesTotal: e.toSend, bytes: 0 } });
    else if (e.event === 'progress')
      this.patch({ progress: { files: e.files, filesTotal: e.filesTotal, bytes: e.bytes } });
    else if (e.event === 'warning' || e.event === 'error')
      this.o.store.problem(e.code, e.path === undefined ? e.message : `${e.path}: ${e.message}`);
  }

  private patch(change: Partial<SyncView>): void {
    this.o.store.patch((s) => ({ sync: { ...s.sync, ...change } }));
  }
}

function defined<T extends object>(o: T): Partial<{ [K in keyof T]: Exclude<T[K], undefined> }> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<{
    [K in keyof T]: Exclude<T[K], undefined>;
  }>;
}

/**
 * The charge as the readiness check wants it (`sync.minBatteryPercent`): none when the box has
 * no gauge or does not know its power source, so a mains-only box is never held back.
 */
function batteryFacts(power: PowerView): Pick<SyncFacts, 'battery'> {
  if (power.percent === undefined || power.source === 'unknown') return {};
  return { battery: { percent: power.percent, externalPower: power.source === 'mains' } };
}
