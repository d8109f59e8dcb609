import { describe, expect, it } from 'vitest';
import { TierScheduler } from '../../../src/ingest/scheduler.js';

/** A task the test finishes by hand, so the order of starts is exact, not timing-dependent. */
function gate() {
  let open!: () => void;
  const promise = new Promise<void>((r) => (open = r));
  return { open, promise };
}

const flush = () => new Promise((r) => setImmediate(r));

describe('TierScheduler', () => {
  it('starts by rank, at most `lanes` at once, and never a lower rank while a higher one runs', async () => {
    const started: string[] = [];
    const gates = new Map<string, ReturnType<typeof gate>>();
    const s = new TierScheduler(2, (e) => {
      throw e;
    });
    const task = (name: string) => async () => {
      started.push(name);
      const g = gate();
      gates.set(name, g);
      await g.promise;
    };
    s.submit(1, 'x', task('std-1'));
    s.submit(1, 'x', task('std-2'));
    s.submit(1, 'x', task('std-3'));
    await flush();
    expect(started).toEqual(['std-1', 'std-2']);

    // A critical file arrives: it waits for a lane, then goes before std-3.
    s.submit(0, 'y', task('crit-1'));
    s.submit(0, 'y', task('crit-2'));
    gates.get('std-1')!.open();
    await flush();
    expect(started).toEqual(['std-1', 'std-2', 'crit-1']);
    // std-2 finishing frees a lane: crit-2 (rank 0) may start, std-3 may not while criticals run.
    gates.get('std-2')!.open();
    await flush();
    expect(started).toEqual(['std-1', 'std-2', 'crit-1', 'crit-2']);
    gates.get('crit-1')!.open();
    await flush();
    expect(started).toHaveLength(4);
    gates.get('crit-2')!.open();
    await flush();
    expect(started.at(-1)).toBe('std-3');
    gates.get('std-3')!.open();
    await flush();
    expect(s.busy).toBe(false);
  });

  it('cancels only the queued tasks of one owner', async () => {
    const ran: string[] = [];
    const g = gate();
    const s = new TierScheduler(1, () => undefined);
    s.submit(0, 'a', async () => {
      ran.push('a1');
      await g.promise;
    });
    s.submit(0, 'a', () => Promise.resolve(void ran.push('a2')));
    s.submit(0, 'b', () => Promise.resolve(void ran.push('b1')));
    expect(s.cancel('a')).toBe(1);
    g.open();
    await flush();
    await flush();
    expect(ran).toEqual(['a1', 'b1']);
  });

  it('reports a task that throws and goes on with the next', async () => {
    const errors: unknown[] = [];
    const ran: string[] = [];
    const s = new TierScheduler(1, (e) => errors.push(e));
    s.submit(0, 'a', () => Promise.reject(new Error('boom')));
    s.submit(0, 'a', () => Promise.resolve(void ran.push('next')));
    await flush();
    await flush();
    expect(errors).toHaveLength(1);
    expect(ran).toEqual(['next']);
  });
});

describe('TierScheduler cancel', () => {
  it('runs the onCancel of each dropped task instead of the task', async () => {
    const s = new TierScheduler(1, () => undefined);
    const g = gate();
    const events: string[] = [];
    s.submit(0, 'a', () => g.promise);
    s.submit(
      0,
      'b',
      () => Promise.resolve(void events.push('ran b')),
      () => events.push('cancelled b'),
    );
    expect(s.cancel('b')).toBe(1);
    g.open();
    await flush();
    expect(events).toEqual(['cancelled b']);
  });
});
