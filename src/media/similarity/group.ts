import { comparePair, mayMatch, type Frame, type PairEvidence } from './compare.js';
import type { SimilarityProfile } from './profiles.js';

/** Pair evidence computed once per pair and kept: grouping and classification both need it. */
export class PairCache {
  private readonly pairs = new Map<number, PairEvidence | null>();

  constructor(
    private readonly frames: readonly Frame[],
    private readonly profile: SimilarityProfile,
  ) {}

  /** Evidence for i → j (i < j); null when the two cannot be compared. */
  get(i: number, j: number): PairEvidence | null {
    const [lo, hi] = i < j ? [i, j] : [j, i];
    const key = lo * this.frames.length + hi;
    const known = this.pairs.get(key);
    if (known !== undefined) return known;
    const e = comparePair(this.frames[lo] as Frame, this.frames[hi] as Frame, this.profile) ?? null;
    this.pairs.set(key, e);
    return e;
  }

  score(i: number, j: number): number {
    return this.get(i, j)?.score ?? -1;
  }
}

/**
 * Groups frames into stacks (lists of indices, each of two or more frames, in capture order
 * when times are known, else input order), by average linkage over the pair scores:
 *
 * 1. Candidate pairs pass the quick pre-filter (pHash distance, aspect ratio) and, when both
 *    frames have a capture time, lie within a window of the profile's gap.
 * 2. Pairs scoring at least `profile.link` are taken strongest first; each joins two groups
 *    only if the mean score over every pair across them stays at least `profile.cohesion`:
 *    a burst whose ends drifted apart still joins, a chain of look-alikes does not.
 * 3. A group is cut wherever consecutive frames with capture times are further apart than
 *    the profile's gap.
 */
export function groupFrames(
  frames: readonly Frame[],
  profile: SimilarityProfile,
  cache: PairCache = new PairCache(frames, profile),
): number[][] {
  const edges: { i: number; j: number; score: number }[] = [];
  for (const [i, j] of candidatePairs(frames, profile)) {
    const score = cache.score(i, j);
    if (score >= profile.link) edges.push({ i, j, score });
  }
  edges.sort((a, b) => b.score - a.score);
  const groupOf = frames.map((_, i) => i);
  const members = new Map<number, number[]>(frames.map((_, i) => [i, [i]]));
  for (const { i, j } of edges) {
    const gi = groupOf[i] as number;
    const gj = groupOf[j] as number;
    if (gi === gj) continue;
    const a = members.get(gi) as number[];
    const b = members.get(gj) as number[];
    if (meanScore(a, b, cache) < profile.cohesion) continue;
    for (const m of b) groupOf[m] = gi;
    members.set(gi, [...a, ...b]);
    members.delete(gj);
  }
  return [...members.values()]
    .flatMap((g) => splitAtGaps(g, frames, profile))
    .filter((g) => g.length >= 2);
}

function meanScore(a: readonly number[], b: readonly number[], cache: PairCache): number {
  let sum = 0;
  for (const i of a) for (const j of b) sum += cache.score(i, j);
  return sum / (a.length * b.length);
}

/**
 * Pairs worth comparing. With capture times, frames are sorted by time and each is paired
 * with the frames after it within a window; frames without a time are paired with all others.
 */
function* candidatePairs(
  frames: readonly Frame[],
  profile: SimilarityProfile,
): Iterable<readonly [number, number]> {
  const timed = frames
    .map((f, i) => ({ i, t: f.hints.captureTime }))
    .filter((x): x is { i: number; t: number } => x.t !== undefined)
    .sort((a, b) => a.t - b.t);
  const untimed = frames.map((f, i) => i).filter((i) => frames[i]?.hints.captureTime === undefined);
  // A stack is cut at gaps longer than maxGap, but a long burst may span many of them.
  const window = profile.maxGapSeconds * 1000 * 8;
  const pair = (i: number, j: number): readonly [number, number] | undefined =>
    mayMatch(frames[i] as Frame, frames[j] as Frame, profile)
      ? ([Math.min(i, j), Math.max(i, j)] as const)
      : undefined;
  for (let a = 0; a < timed.length; a++) {
    const x = timed[a] as { i: number; t: number };
    for (let b = a + 1; b < timed.length; b++) {
      const y = timed[b] as { i: number; t: number };
      if (y.t - x.t > window) break;
      const p = pair(x.i, y.i);
      if (p !== undefined) yield p;
    }
  }
  const untimedFrame = (k: number): boolean => frames[k]?.hints.captureTime === undefined;
  for (const i of untimed) {
    for (let j = 0; j < frames.length; j++) {
      // Two untimed frames are paired once, from the lower index.
      if (j === i || (untimedFrame(j) && j < i)) continue;
      const p = pair(i, j);
      if (p !== undefined) yield p;
    }
  }
}

/** Capture order (untimed frames keep their place at the end), cut at long gaps. */
function splitAtGaps(
  group: readonly number[],
  frames: readonly Frame[],
  profile: SimilarityProfile,
): number[][] {
  const timeOf = (i: number): number | undefined => frames[i]?.hints.captureTime;
  const timed = group
    .filter((i) => timeOf(i) !== undefined)
    .sort((a, b) => (timeOf(a) as number) - (timeOf(b) as number) || a - b);
  const untimed = group.filter((i) => timeOf(i) === undefined).sort((a, b) => a - b);
  const parts: number[][] = [];
  let current: number[] = [];
  for (const i of timed) {
    const last = current.at(-1);
    if (
      last !== undefined &&
      (timeOf(i) as number) - (timeOf(last) as number) > profile.maxGapSeconds * 1000
    ) {
      parts.push(current);
      current = [];
    }
    current.push(i);
  }
  // Frames without a time join the last part: they matched by pixels alone.
  parts.push([...current, ...untimed]);
  return parts;
}
