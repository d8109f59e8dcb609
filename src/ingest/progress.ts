import type { Clock, IngestProgressEvent } from '../core/index.js';

const EMIT_EVERY_MS = 500;

/** Counts what is done and emits a progress event at most twice a second, with rate and ETA. */
export class ProgressMeter {
  private files = 0;
  private bytes = 0;
  private readonly startedMs: number;
  private lastEmitMs = -Infinity;

  constructor(
    private filesTotal: number,
    private bytesTotal: number,
    private readonly clock: Clock,
    private readonly emit: (event: IngestProgressEvent) => void,
  ) {
    this.startedMs = clock.monotonicMs();
  }

  get bytesRead(): number {
    return this.bytes;
  }

  /** More files joined the job (a tethered shot). */
  addTotals(files: number, bytes: number): void {
    this.filesTotal += files;
    this.bytesTotal += bytes;
  }

  addBytes(n: number): void {
    this.bytes += n;
    this.maybeEmit(false);
  }

  fileDone(): void {
    this.files++;
    this.maybeEmit(this.files === this.filesTotal);
  }

  private maybeEmit(force: boolean): void {
    const now = this.clock.monotonicMs();
    if (!force && now - this.lastEmitMs < EMIT_EVERY_MS) return;
    this.lastEmitMs = now;
    const seconds = (now - this.startedMs) / 1000;
    const rate = seconds > 0 ? this.bytes / seconds : 0;
    const left = Math.max(0, this.bytesTotal - this.bytes);
    this.emit({
      event: 'progress',
      files: this.files,
      filesTotal: this.filesTotal,
      bytes: Math.min(this.bytes, this.bytesTotal),
      bytesTotal: this.bytesTotal,
      bytesPerSecond: Math.round(rate),
      etaSeconds: rate > 0 ? Math.round(left / rate) : null,
    });
  }
}
