import type { StackKind } from '../../core/index.js';
import { classifyStack } from './classify.js';
import type { Frame } from './compare.js';
import { groupFrames, PairCache } from './group.js';
import type { SimilarityProfile } from './profiles.js';

/** A stack found among frames: indices into the frames given, in capture order. */
export interface DetectedStack {
  readonly kind: StackKind;
  readonly members: readonly number[];
  /** The frame that keeps full redundancy under the stack economy (an index into the frames). */
  readonly pick: number;
}

/** Groups frames into stacks, classifies each, and chooses each one's pick. */
export function detectStacks(
  frames: readonly Frame[],
  profile: SimilarityProfile,
): DetectedStack[] {
  const cache = new PairCache(frames, profile);
  return groupFrames(frames, profile, cache).map((members) => ({
    kind: classifyStack(
      members,
      frames.map((f) => f.hints),
      cache,
      profile,
    ),
    members,
    pick: pickOf(members, frames),
  }));
}

/**
 * The frame to keep at full redundancy: the highest-rated one; among equals (or with no
 * rating) the sharpest by the measured focus score; among equals the first.
 */
export function pickOf(members: readonly number[], frames: readonly Frame[]): number {
  let best = members[0] as number;
  for (const m of members.slice(1)) {
    const a = frames[m] as Frame;
    const b = frames[best] as Frame;
    const ra = a.hints.rating ?? -1;
    const rb = b.hints.rating ?? -1;
    if (ra > rb || (ra === rb && (a.features?.focus ?? -1) > (b.features?.focus ?? -1))) best = m;
  }
  return best;
}
