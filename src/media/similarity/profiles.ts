/**
 * How tolerant the grouping is: what counts as "the same scene", how far apart in time frames
 * of one stack may be, and what exposure spread makes a stack a bracket. Built-in profiles
 * suit the common cases; the config may add its own or change fields of these.
 */
export interface SimilarityProfile {
  readonly name: string;
  /**
   * Pair score (fine detail + a quarter of the layout correlation − 0.02 × pHash distance) at
   * or above which two frames are linked. Lower groups more.
   */
  readonly link: number;
  /** Mean pair score a stack must keep when two groups are merged (stops chains of look-alikes). */
  readonly cohesion: number;
  /** Largest framing drift searched, in 1/32 of the frame (3 ≈ 9 %). */
  readonly maxShift: number;
  /** pHash bits that may differ before a pair is looked at closely (a quick pre-filter). */
  readonly maxHashDistance: number;
  /**
   * Largest gap between consecutive frames of a stack when both have a capture time, seconds.
   * Frames further apart are never grouped; without times, pixels alone decide.
   */
  readonly maxGapSeconds: number;
  /** Score bonus when the camera says the frames belong together (burst drive, bracketing, consecutive sequence numbers). */
  readonly hintBonus: number;
  /** Exposure spread (EV, brightest − darkest frame) from which a stack is a bracket. */
  readonly bracketSpread: number;
}

const WILDLIFE: SimilarityProfile = {
  name: 'wildlife',
  link: 0.25,
  cohesion: 0.22,
  maxShift: 3,
  maxHashDistance: 26,
  maxGapSeconds: 3,
  hintBonus: 0.1,
  bracketSpread: 0.5,
};

/** The built-in profiles: wildlife bursts (the default), landscape brackets, sports. */
export const BUILT_IN_PROFILES: Readonly<Record<string, SimilarityProfile>> = {
  wildlife: WILDLIFE,
  // Tripod, long exposures, manual brackets: frames may be far apart in time, the framing
  // hardly moves, and any exposure spread from a third of a stop is a bracket.
  landscape: {
    ...WILDLIFE,
    name: 'landscape',
    link: 0.28,
    maxShift: 2,
    maxGapSeconds: 60,
    bracketSpread: 0.3,
  },
  // Fast action at 10–30 fps while panning: the framing moves more between frames, bursts are
  // tight in time.
  sports: {
    ...WILDLIFE,
    name: 'sports',
    link: 0.22,
    cohesion: 0.18,
    maxShift: 4,
    maxHashDistance: 28,
    maxGapSeconds: 1.5,
  },
};

export const DEFAULT_PROFILE = 'wildlife';
/** The profile used when none is named: wildlife. */
export const DEFAULT_SIMILARITY_PROFILE: SimilarityProfile = WILDLIFE;
