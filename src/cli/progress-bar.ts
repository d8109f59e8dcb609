import type { IngestProgressEvent } from '../core/index.js';
import { formatBytes, formatDuration, type CliIo } from './io.js';

/** One self-overwriting line on a terminal: bar, files, bytes, rate, ETA. */
export class ProgressBar {
  private shown = false;

  constructor(private readonly io: CliIo) {}

  update(p: IngestProgressEvent): void {
    const width = Math.max(10, Math.min(40, (this.io.stdout.columns ?? 80) - 60));
    const fraction =
      p.bytesTotal > 0 ? p.bytes / p.bytesTotal : p.filesTotal > 0 ? p.files / p.filesTotal : 1;
    const filled = Math.round(fraction * width);
    const bar = `${'#'.repeat(filled)}${'-'.repeat(width - filled)}`;
    const eta = p.etaSeconds === null ? '--:--' : formatDuration(p.etaSeconds);
    this.io.stdout.write(
      `\r[${bar}] ${p.files}/${p.filesTotal} files  ${formatBytes(p.bytes)}/${formatBytes(p.bytesTotal)}  ${formatBytes(p.bytesPerSecond)}/s  ETA ${eta}\u001b[K`,
    );
    this.shown = true;
  }

  /** Ends the line before anything else is printed. */
  clear(): void {
    if (this.shown) this.io.stdout.write('\r\u001b[K');
    this.shown = false;
  }
}
