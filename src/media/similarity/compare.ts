import { bestShift, exposureStep } from './correlation.js';
import { DETAIL_GRID, GRID, LAYOUT_GRID, type FrameFeatures } from './features.js';
import { hamming } from './hashes.js';
import type { CaptureHints } from './hints.js';
import type { SimilarityProfile } from './profiles.js';

/** A frame as the grouping sees it: its features (none when it could not be decoded) and hints. */
export interface Frame {
  readonly features?: FrameFeatures;
  readonly hints: CaptureHints;
}

/** How alike two frames are, and how they line up. */
export interface PairEvidence {
  /** Fine detail at the best alignment + ¼ layout correlation − 0.02 × pHash distance (+ hint bonus). */
  readonly score: number;
  /** Shift of b against a, in structure-grid cells. */
  readonly dx: number;
  readonly dy: number;
  /** Exposure step from a to b, EV (undefined when not measurable). */
  readonly ev?: number;
}

/** Weights of the score: fixed, so that the profiles only move thresholds. */
const LAYOUT_WEIGHT = 0.25;
const HASH_WEIGHT = 0.02;

/**
 * Below this layout correlation (at the best shift) two frames are not the same scene, and the
 * finer comparisons are skipped: it keeps a folder of a thousand frames quick.
 */
const EARLY_REJECT = 0.35;

/** Aspect ratios further apart than this (a crop to another ratio, portrait vs landscape) never stack. */
const ASPECT_TOLERANCE = 0.06;

/**
 * Compares two frames; undefined when they cannot be the same scene at all (no pixels, other
 * aspect ratio). Exposure-invariant by construction (features are rank-equalised), shift-
 * tolerant up to the profile's drift, and lifted by what the camera says when it says it.
 */
export function comparePair(
  a: Frame,
  b: Frame,
  profile: SimilarityProfile,
): PairEvidence | undefined {
  const fa = a.features;
  const fb = b.features;
  if (fa === undefined || fb === undefined) return undefined;
  if (Math.abs(Math.log(fa.aspect / fb.aspect)) > ASPECT_TOLERANCE) return undefined;
  const distance = hamming(fa.pHash, fb.pHash);
  const bonus = hintsLink(a.hints, b.hints, profile) ? profile.hintBonus : 0;
  // Coarse to fine: the drift is found on the 16×16 layout, refined on 32×32, then the detail
  // grid (64×64) is compared at that alignment.
  const coarse = bestShift(fa.layout, fb.layout, LAYOUT_GRID, Math.ceil(profile.maxShift / 2));
  if (coarse.r < EARLY_REJECT) {
    return {
      score: LAYOUT_WEIGHT * coarse.r - HASH_WEIGHT * distance + bonus,
      dx: 2 * coarse.dx,
      dy: 2 * coarse.dy,
    };
  }
  const layout = bestShift(fa.structure, fb.structure, GRID, 1, 2 * coarse.dx, 2 * coarse.dy);
  const detail = bestShift(fa.detail, fb.detail, DETAIL_GRID, 1, 2 * layout.dx, 2 * layout.dy);
  const score = detail.r + LAYOUT_WEIGHT * layout.r - HASH_WEIGHT * distance + bonus;
  const ev = exposureStep(fa.tone, fb.tone, Math.round(layout.dx / 2), Math.round(layout.dy / 2));
  return { score, dx: layout.dx, dy: layout.dy, ...(ev === undefined ? {} : { ev }) };
}

/** Quick pre-filter: could these two be the same scene? (pHash or dHash distance, aspect ratio). */
export function mayMatch(a: Frame, b: Frame, profile: SimilarityProfile): boolean {
  const fa = a.features;
  const fb = b.features;
  if (fa === undefined || fb === undefined) return false;
  if (Math.abs(Math.log(fa.aspect / fb.aspect)) > ASPECT_TOLERANCE) return false;
  return (
    hamming(fa.pHash, fb.pHash) <= profile.maxHashDistance ||
    hamming(fa.dHash, fb.dHash) <= profile.maxHashDistance
  );
}

/**
 * The camera says these belong together: one burst id, or both shot in burst or bracketing
 * mode within the profile's gap, or consecutive sequence numbers within it.
 */
export function hintsLink(a: CaptureHints, b: CaptureHints, profile: SimilarityProfile): boolean {
  if (a.burstId !== undefined && a.burstId === b.burstId) return true;
  if (a.captureTime === undefined || b.captureTime === undefined) return false;
  if (Math.abs(a.captureTime - b.captureTime) > profile.maxGapSeconds * 1000) return false;
  if (a.burst === true && b.burst === true) return true;
  if (a.bracket === true && b.bracket === true) return true;
  return (
    a.sequence !== undefined &&
    b.sequence !== undefined &&
    a.sequence !== b.sequence &&
    Math.abs(a.sequence - b.sequence) <= 2
  );
}
