import { dHash, pHash, type Hash64 } from './hashes.js';
import {
  bandPass,
  equalize,
  focusScore,
  linearise,
  normalise,
  resample,
  type Plane,
} from './luma.js';

/** Side of the layout grid, searched first for the framing drift (cheap). */
export const LAYOUT_GRID = 16;
/** Side of the structure grid: small enough to ignore noise and detail, large enough for layout. */
export const GRID = 32;
/** Side of the detail grid: texture that tells two framings of one place apart. */
export const DETAIL_GRID = 64;
/** Side of the tone grid used to measure exposure steps. */
export const TONE_GRID = 16;

/** What a frame is compared by; computed once per frame from its small luminance image. */
export interface FrameFeatures {
  /** Aspect ratio (width / height) of the decoded image: portrait and landscape never stack. */
  readonly aspect: number;
  /** DCT pHash of the equalised 32×32 luminance. */
  readonly pHash: Hash64;
  /** Gradient dHash of the equalised luminance. */
  readonly dHash: Hash64;
  /** Equalised 16×16 luminance, zero mean and unit length: the coarse layout. */
  readonly layout: Float32Array;
  /** Equalised 32×32 luminance, zero mean and unit length (row-major). */
  readonly structure: Float32Array;
  /** Band-passed, equalised 64×64 luminance, zero mean and unit length: fine detail. */
  readonly detail: Float32Array;
  /** 16×16 mean linear luminance: exposure steps are measured on it. */
  readonly tone: Float32Array;
  /** Laplacian energy relative to contrast; higher is sharper. */
  readonly focus: number;
}

/**
 * Features of a frame from its luminance (sRGB-encoded, 0…255), decoded small (the longest
 * side a few hundred pixels). Rank equalisation first, so that exposure steps do not change
 * the hashes or the structure; the tone grid keeps linear light to measure those steps.
 */
export function frameFeatures(grey: Plane): FrameFeatures {
  const grid = resample(grey, GRID, GRID);
  const equalised = equalize(grid);
  const tone = resample(linearise(grey), TONE_GRID, TONE_GRID);
  const detail = normalise(bandPass(equalize(resample(grey, DETAIL_GRID, DETAIL_GRID)))).data;
  return {
    aspect: grey.width / grey.height,
    pHash: pHash(equalised),
    dHash: dHash(resample(equalised, 9, 8)),
    layout: normalise(resample(equalised, LAYOUT_GRID, LAYOUT_GRID)).data,
    structure: normalise(equalised).data,
    detail,
    tone: tone.data,
    focus: focusScore(grey),
  };
}
