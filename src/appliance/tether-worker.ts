import { errorMessage, type Logger } from '../core/index.js';
import type { UsbPtpBus } from '../hardware/ports/index.js';
import { CameraTether, runTether, UsbCameraConnector, type TetherEvent } from '../tether/index.js';
import type { StatusStore } from './status-store.js';
import type { VaultPool } from './vault-pool.js';
import type { WorkTracker } from './work-tracker.js';

/**
 * The tether region's work: tells the statechart when a PTP camera is on the USB bus, and
 * while one is, runs the tether engine on the shared session (every shot secured on the SSDs
 * as it is taken; reconnects by itself after a cable hiccup).
 */
export class TetherWorker {
  constructor(
    private readonly usb: UsbPtpBus,
    private readonly pool: VaultPool,
    private readonly store: StatusStore,
    private readonly work: WorkTracker,
    private readonly logger: Logger,
  ) {}

  /** Calls `present(true/false)` now and whenever a camera is plugged in or out. */
  watch(present: (camera: boolean) => void): () => void {
    const look = (): void => {
      this.usb.list().then(
        (devices) => present(devices.length > 0),
        (err: unknown) => this.logger.log('warn', `USB bus: ${errorMessage(err)}`),
      );
    };
    const stop = this.usb.watch(look);
    look();
    return stop;
  }

  run(signal: AbortSignal, report: (event: 'connected' | 'disconnected') => void): Promise<void> {
    return this.work.track(this.session(signal, report));
  }

  private async session(
    signal: AbortSignal,
    report: (event: 'connected' | 'disconnected') => void,
  ): Promise<void> {
    this.store.patch(() => ({ tether: { phase: 'connecting', shots: 0, failed: 0, degraded: 0 } }));
    let lease;
    try {
      lease = await this.pool.lease();
    } catch (err) {
      this.store.failure(err);
      return;
    }
    try {
      const feed = new CameraTether(new UsbCameraConnector(this.usb));
      const done = await runTether(feed, lease.session, {
        signal,
        onEvent: (e) => this.onEvent(e, report),
      });
      await feed.close().catch(() => undefined);
      this.patch({ failed: done.failed, degraded: done.degraded });
    } catch (err) {
      this.store.failure(err, 'E_DEVICE_GONE');
    } finally {
      await lease.release();
    }
  }

  private onEvent(e: TetherEvent, report: (event: 'connected' | 'disconnected') => void): void {
    switch (e.event) {
      case 'connected':
        this.patch({ camera: e.camera });
        report('connected');
        return;
      case 'disconnected':
        report('disconnected');
        return;
      case 'shot':
        this.store.patch((s) => ({
          tether: {
            ...s.tether,
            shots: s.tether.shots + 1,
            degraded: s.tether.degraded + (e.missing.length > 0 ? 1 : 0),
            lastShot: e.file,
          },
        }));
        return;
      case 'warning':
      case 'error':
        this.store.problem(e.code, e.path === undefined ? e.message : `${e.path}: ${e.message}`);
        if (e.event === 'error' && e.path !== undefined)
          this.store.patch((s) => ({ tether: { ...s.tether, failed: s.tether.failed + 1 } }));
        return;
      case 'waiting':
      case 'done':
        return;
    }
  }

  private patch(change: Partial<{ camera: string; failed: number; degraded: number }>): void {
    this.store.patch((s) => ({ tether: { ...s.tether, ...change } }));
  }
}
