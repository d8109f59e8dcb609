import { describe, expect, it } from 'vitest';
import type { Clock, IngestProgressEvent } from '../../../src/core/index.js';
import { ProgressMeter } from '../../../src/ingest/progress.js';

class FakeClock implements Clock {
  ms = 1_000_000;
  now(): Date {
    return new Date(this.ms);
  }
  monotonicMs(): number {
    return this.ms;
  }
}

function meter(
  files: number,
  bytes: number,
): { clock: FakeClock; events: IngestProgressEvent[]; m: ProgressMeter } {
  const clock = new FakeClock();
  const events: IngestProgressEvent[] = [];
  const m = new ProgressMeter(files, bytes, clock, (e) => events.push(e));
  return { clock, events, m };
}

describe('ProgressMeter', () => {
  it('emits at most once per 500 ms', () => {
    const { clock, events, m } = meter(10, 10_000);
    m.addBytes(100);
    expect(events).toHaveLength(1);
    for (let i = 0; i < 10; i++) {
      clock.ms += 49;
      m.addBytes(10);
    }
    expect(events).toHaveLength(1);
    clock.ms += 10;
    m.addBytes(10);
    expect(events).toHaveLength(2);
    expect(events[1]?.bytes).toBe(210);
  });

  it('reports ETA null while the rate is 0', () => {
    const { events, m } = meter(2, 1000);
    m.addBytes(0);
    expect(events[0]).toMatchObject({
      bytesPerSecond: 0,
      etaSeconds: null,
      files: 0,
      filesTotal: 2,
    });
  });

  it('computes rate and ETA from the clock', () => {
    const { clock, events, m } = meter(4, 10_000_000);
    clock.ms += 2000;
    m.addBytes(2_000_000);
    expect(events.at(-1)).toMatchObject({
      bytes: 2_000_000,
      bytesTotal: 10_000_000,
      bytesPerSecond: 1_000_000,
      etaSeconds: 8,
    });
    expect(m.bytesRead).toBe(2_000_000);
  });

  it('always emits when the last file is done, even inside the 500 ms window', () => {
    const { clock, events, m } = meter(2, 200);
    m.addBytes(100);
    clock.ms += 10;
    m.fileDone();
    expect(events).toHaveLength(1);
    clock.ms += 10;
    m.addBytes(100);
    m.fileDone();
    expect(events).toHaveLength(2);
    expect(events[1]).toMatchObject({ files: 2, filesTotal: 2, bytes: 200, etaSeconds: 0 });
  });

  it('never reports more bytes than the total (a file that grew)', () => {
    const { clock, events, m } = meter(1, 100);
    clock.ms += 1000;
    m.addBytes(150);
    expect(events.at(-1)).toMatchObject({ bytes: 100, etaSeconds: 0 });
  });
});
