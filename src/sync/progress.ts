import type { Clock, IngestProgressEvent } from '../core/index.js';

/** Sync progress: objects and bytes sent of those to send, at most two events a second. */
export class SyncProgress {
  private files = 0;
  private bytes = 0;
  private lastMs = -Infinity;
  private readonly startMs: number;

  constructor(
    private readonly totals: { readonly files: number; readonly bytes: number },
    private readonly clock: Clock,
    private readonly emit: (event: IngestProgressEvent) => void,
  ) {
    this.startMs = clock.monotonicMs();
  }

  sent(bytes: number): void {
    this.bytes += bytes;
    this.tick(false);
  }

  /** An object is settled; `unsent` bytes of it were counted as to send but never sent (adopted, failed). */
  settled(unsent: number): void {
    this.files++;
    this.bytes += unsent;
    this.tick(this.files === this.totals.files);
  }

  private tick(last: boolean): void {
    const now = this.clock.monotonicMs();
    if (!last && now - this.lastMs < 500) return;
    this.lastMs = now;
    const elapsed = Math.max(1e-3, (now - this.startMs) / 1000);
    const rate = this.bytes / elapsed;
    const bytes = Math.min(this.bytes, this.totals.bytes);
    this.emit({
      event: 'progress',
      files: this.files,
      filesTotal: this.totals.files,
      bytes,
      bytesTotal: this.totals.bytes,
      bytesPerSecond: Math.round(rate),
      etaSeconds: rate > 0 ? Math.round((this.totals.bytes - bytes) / rate) : null,
    });
  }
}
