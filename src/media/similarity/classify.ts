import type { StackKind } from '../../core/index.js';
import type { CaptureHints } from './hints.js';
import type { PairCache } from './group.js';
import type { SimilarityProfile } from './profiles.js';

/**
 * Burst or bracket. The camera's word first: bracketing on (AEB, EXIF "Auto bracket") in most
 * frames, or exposure steps in the metadata (compensation or shutter/aperture/ISO) spanning the
 * profile's bracket spread. Else the pixels: the exposure steps measured between the frames in
 * linear light. A burst's auto-exposure wobbles by a tenth of a stop; a bracket steps by a
 * third of a stop or more.
 */
export function classifyStack(
  members: readonly number[],
  hints: readonly CaptureHints[],
  cache: PairCache,
  profile: SimilarityProfile,
): StackKind {
  const own = members.map((i) => hints[i] ?? {});
  if (own.filter((h) => h.bracket === true).length * 2 > own.length) return 'bracket';
  const metadataSpread = Math.max(
    spread(own.map((h) => h.exposureBias)),
    spread(own.map((h) => (h.exposureValue === undefined ? undefined : -h.exposureValue))),
  );
  if (metadataSpread >= profile.bracketSpread) return 'bracket';
  if (own.every((h) => h.burst === true)) return 'burst';
  return pixelSpread(members, cache) >= profile.bracketSpread ? 'bracket' : 'burst';
}

/**
 * Brightest − darkest, in EV: each frame's exposure is the least-squares fit of the steps
 * measured between every pair of the stack (the mean of the steps from every frame to it), so
 * one pair measured badly (few unclipped cells, glints) does not make a burst a bracket.
 */
export function pixelSpread(members: readonly number[], cache: PairCache): number {
  if (members.length < 2) return 0;
  const offsets = members.map((k) => {
    let sum = 0;
    let n = 1;
    for (const j of members) {
      if (j === k) continue;
      const ev = cache.get(j, k)?.ev;
      if (ev === undefined) continue;
      // The cache measures from the lower index to the higher.
      sum += j < k ? ev : -ev;
      n++;
    }
    return sum / n;
  });
  return Math.max(...offsets) - Math.min(...offsets);
}

/** Range of the values that are known, 0 when fewer than two are. */
function spread(values: readonly (number | undefined)[]): number {
  const known = values.filter((v): v is number => v !== undefined);
  return known.length < 2 ? 0 : Math.max(...known) - Math.min(...known);
}
