import type { StackRecord } from '../../catalog/index.js';

/**
 * The captures of a job whose stacks must be looked for again once `fresh` ones arrived, so
 * that a job growing shot by shot (tethering) is not regrouped whole for every frame:
 *
 * - every run of captures the fresh ones are in (consecutive capture times at most `gapMs`
 *   apart): a stack never spans a longer gap (groupFrames cuts it there), so no stack outside
 *   these runs can change;
 * - the captures without a time, which pixels alone may join to any stack;
 * - whole, every stack found before that any of these belong to.
 *
 * A fresh capture without a time may join anything: then it is every capture. `times` holds
 * every capture of the job that was looked at (undefined: no capture time).
 */
export function capturesToRegroup(
  times: ReadonlyMap<string, number | undefined>,
  fresh: ReadonlySet<string>,
  stacks: readonly StackRecord[],
  gapMs: number,
): Set<string> {
  const arrived = [...fresh].filter((k) => times.has(k));
  if (arrived.length === 0) return new Set();
  if (arrived.some((k) => times.get(k) === undefined)) return new Set(times.keys());
  const runOf = new Map<string, string[]>();
  let run: string[] = [];
  let last = -Infinity;
  const timed = [...times].filter((e): e is [string, number] => e[1] !== undefined);
  for (const [key, time] of timed.sort((a, b) => a[1] - b[1])) {
    if (time - last > gapMs) run = [];
    run.push(key);
    runOf.set(key, run);
    last = time;
  }
  const region = new Set<string>();
  const take = (key: string): void => {
    for (const k of runOf.get(key) ?? [key]) region.add(k);
  };
  arrived.forEach(take);
  for (const [key, time] of times) if (time === undefined) region.add(key);
  // Each round adds captures or ends: at most one round per stack.
  for (let grew = true; grew;) {
    grew = false;
    for (const s of stacks) {
      const keys = s.frames.map((f) => f.captureKey);
      if (keys.some((k) => region.has(k)) && !keys.every((k) => region.has(k))) {
        keys.forEach(take);
        grew = true;
      }
    }
  }
  return region;
}

/** A job's stacks numbered 1, 2, … in the capture order of their first frames (no time: last). */
export function numberStacks(
  stacks: readonly Omit<StackRecord, 'no'>[],
  timeOf: (captureKey: string) => number | undefined,
): StackRecord[] {
  const start = (s: Omit<StackRecord, 'no'>): number =>
    timeOf(s.frames[0]?.captureKey ?? '') ?? Infinity;
  // Array.prototype.sort is stable: stacks without a time keep the order they were found in.
  return [...stacks]
    .sort((a, b) => {
      const [x, y] = [start(a), start(b)];
      return x === y ? 0 : x < y ? -1 : 1;
    })
    .map((s, i) => ({ ...s, no: i + 1 }));
}
