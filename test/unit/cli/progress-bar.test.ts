import { describe, expect, it } from 'vitest';
import type { IngestProgressEvent } from '../../../src/core/index.js';
import { ProgressBar } from '../../../src/cli/progress-bar.js';
import { captureIo } from '../../helpers/unit-io.js';

const progress = (over: Partial<IngestProgressEvent> = {}): IngestProgressEvent => ({
  event: 'progress',
  files: 12,
  filesTotal: 48,
  bytes: 1_500_000_000,
  bytesTotal: 6_000_000_000,
  bytesPerSecond: 120_000_000,
  etaSeconds: 38,
  ...over,
});

describe('ProgressBar', () => {
  it('writes one self-overwriting line with files, bytes, rate and ETA', () => {
    const io = captureIo({ columns: 100 });
    new ProgressBar(io).update(progress());
    const line = io.out();
    expect(line.startsWith('\r')).toBe(true);
    expect(line).not.toContain('\n');
    expect(line).toContain('12/48 files');
    expect(line).toContain('1.5 GB/6.0 GB');
    expect(line).toContain('120.0 MB/s');
    expect(line).toContain('ETA 0:38');
  });

  it('fills the bar in proportion to the bytes done', () => {
    const io = captureIo({ columns: 100 });
    new ProgressBar(io).update(progress());
    const bar = /\[([#-]+)\]/.exec(io.out())?.[1] ?? '';
    expect(bar).toHaveLength(40);
    expect(bar).toBe(`${'#'.repeat(10)}${'-'.repeat(30)}`);
  });

  it('shows an unknown ETA as --:--', () => {
    const io = captureIo();
    new ProgressBar(io).update(progress({ etaSeconds: null, bytesPerSecond: 0 }));
    expect(io.out()).toContain('ETA --:--');
  });

  it('uses file counts when there are no bytes to copy', () => {
    const io = captureIo({ columns: 100 });
    new ProgressBar(io).update(progress({ bytes: 0, bytesTotal: 0, files: 1, filesTotal: 2 }));
    expect(/\[([#-]+)\]/.exec(io.out())?.[1]).toBe(`${'#'.repeat(20)}${'-'.repeat(20)}`);
  });

  it('clears its line only when it has drawn one', () => {
    const io = captureIo();
    const bar = new ProgressBar(io);
    bar.clear();
    expect(io.out()).toBe('');
    bar.update(progress());
    bar.clear();
    expect(io.out().endsWith('\r\u001b[K')).toBe(true);
    const length = io.out().length;
    bar.clear();
    expect(io.out()).toHaveLength(length);
  });
});
