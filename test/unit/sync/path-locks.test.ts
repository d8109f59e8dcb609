import { describe, expect, it } from 'vitest';
import type { Clock, IngestProgressEvent } from '../../../src/core/index.js';
import { PathLocks } from '../../../src/sync/path-locks.js';
import { SyncProgress } from '../../../src/sync/progress.js';

describe('path locks', () => {
  it('one holder per path at a time, in order; other paths go on', async () => {
    const locks = new PathLocks();
    const log: string[] = [];
    const hold = async (key: string, name: string, ms: number): Promise<void> => {
      const release = await locks.acquire(key);
      log.push(`${name}+`);
      await new Promise((r) => setTimeout(r, ms));
      log.push(`${name}-`);
      release();
    };
    await Promise.all([
      hold('x', 'a', 20),
      hold('x', 'b', 1),
      hold('y', 'c', 1),
      hold('x', 'd', 1),
    ]);
    expect(log.filter((l) => l !== 'c+' && l !== 'c-')).toEqual([
      'a+',
      'a-',
      'b+',
      'b-',
      'd+',
      'd-',
    ]);
    expect(log.indexOf('c-')).toBeLessThan(log.indexOf('a-'));
  });
});

describe('sync progress', () => {
  it('at most two events a second, the last one always, with rate and ETA', () => {
    let now = 0;
    const clock: Clock = { now: () => new Date(now), monotonicMs: () => now };
    const events: IngestProgressEvent[] = [];
    const p = new SyncProgress({ files: 2, bytes: 1000 }, clock, (e) => events.push(e));
    now = 100;
    p.sent(100);
    now = 200;
    p.sent(100);
    expect(events).toHaveLength(1);
    now = 1000;
    p.sent(300);
    p.settled(0);
    now = 1100;
    p.settled(500);
    expect(events.at(-1)).toMatchObject({
      files: 2,
      filesTotal: 2,
      bytes: 1000,
      bytesTotal: 1000,
      etaSeconds: 0,
    });
    expect(events[1]).toMatchObject({ bytes: 500, bytesPerSecond: 500, etaSeconds: 1 });
  });
});
