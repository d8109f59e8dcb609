import { describe, expect, it } from 'vitest';
import { forEachConcurrent } from '../../../src/platform/index.js';

/** A promise resolved from outside, so tests control when each worker finishes. */
function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/** Lets every pending microtask and I/O callback run. */
const settle = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('forEachConcurrent', () => {
  it('never runs more than `limit` workers at once and reaches that limit', async () => {
    let running = 0;
    let maxRunning = 0;
    const done: number[] = [];
    await forEachConcurrent(
      Array.from({ length: 20 }, (_, i) => i),
      3,
      async (i) => {
        running++;
        maxRunning = Math.max(maxRunning, running);
        // Finish in an irregular order.
        for (let k = 0; k < (i * 7) % 5; k++) await settle();
        running--;
        done.push(i);
      },
    );
    expect(maxRunning).toBe(3);
    expect(done.sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it('starts items in order', async () => {
    const started: string[] = [];
    await forEachConcurrent(['a', 'b', 'c', 'd', 'e'], 2, async (x) => {
      started.push(x);
      await settle();
    });
    expect(started).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('treats a limit below 1 as 1', async () => {
    let running = 0;
    let maxRunning = 0;
    await forEachConcurrent([1, 2, 3], 0, async () => {
      running++;
      maxRunning = Math.max(maxRunning, running);
      await settle();
      running--;
    });
    expect(maxRunning).toBe(1);
  });

  it('waits for every started worker before it resolves', async () => {
    const gates = [deferred(), deferred(), deferred()];
    const finished: number[] = [];
    let resolved = false;
    const all = forEachConcurrent([0, 1, 2], 3, async (i) => {
      await gates[i]!.promise;
      finished.push(i);
    }).then(() => (resolved = true));
    gates[0]!.resolve();
    gates[2]!.resolve();
    await settle();
    expect(resolved).toBe(false);
    gates[1]!.resolve();
    await all;
    expect(resolved).toBe(true);
    expect(finished.sort()).toEqual([0, 1, 2]);
  });

  it('rethrows the first failure only after the other started workers have finished', async () => {
    const slow = deferred();
    const first = new Error('first');
    let slowFinished = false;
    let settled = false;
    const run = forEachConcurrent([0, 1, 2], 3, async (i) => {
      if (i === 0) {
        await slow.promise;
        slowFinished = true;
        return;
      }
      await settle();
      throw i === 1 ? first : new Error('second');
    });
    run.catch(() => undefined).finally(() => (settled = true));
    for (let k = 0; k < 5; k++) await settle();
    expect(settled).toBe(false);
    slow.resolve();
    await expect(run).rejects.toBe(first);
    expect(slowFinished).toBe(true);
  });

  it('starts no new work after a failure', async () => {
    const started: number[] = [];
    const items = Array.from({ length: 10 }, (_, i) => i);
    await expect(
      forEachConcurrent(items, 2, async (i) => {
        started.push(i);
        await settle();
        if (i === 1) throw new Error('bad file');
      }),
    ).rejects.toThrow('bad file');
    // Item 1 fails while item 0 is done; no lane may pick anything after the failure.
    expect(started.length).toBeLessThanOrEqual(3);
    expect(started.slice(0, 2)).toEqual([0, 1]);
  });

  it('accepts any iterable, including a generator, and an empty one', async () => {
    function* gen(): Generator<number> {
      yield 1;
      yield 2;
    }
    const seen: number[] = [];
    await forEachConcurrent(gen(), 4, async (n) => {
      seen.push(n);
      await settle();
    });
    expect(seen).toEqual([1, 2]);
    await expect(forEachConcurrent([], 4, () => Promise.resolve())).resolves.toBeUndefined();
  });
});
