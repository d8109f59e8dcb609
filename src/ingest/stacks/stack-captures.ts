import type { StackKind } from '../../core/index.js';
import {
  analyseFrames,
  detectStacks,
  type AnalysedFrame,
  type HintReader,
  type PreviewSource,
  type SimilarityProfile,
} from '../../media/similarity/index.js';

/** A capture to look at: its files (RAW + JPEG + sidecars) and the one image to decode. */
export interface CaptureToStack {
  readonly captureKey: string;
  readonly files: readonly string[];
  /** Absolute path of the file whose pixels are looked at. */
  readonly image: string;
}

/** A stack of captures: indices into the captures given, in capture order. */
export interface CaptureStack {
  readonly kind: StackKind;
  readonly members: readonly number[];
  /** Index (into the captures) of the pick. */
  readonly pick: number;
}

export interface StackCapturesOptions {
  readonly profile: SimilarityProfile;
  readonly previews: PreviewSource;
  readonly hints?: HintReader;
  readonly concurrency?: number;
  readonly onProblem?: (image: string, message: string) => void;
}

export interface StackCapturesResult {
  readonly stacks: readonly CaptureStack[];
  /** Per capture, what was measured (features absent when its image could not be decoded). */
  readonly frames: readonly AnalysedFrame[];
}

/**
 * One frame per capture (a RAW and its JPEG are one moment, never a burst of two): each
 * capture's image is decoded small, grouped with the others, each stack classified and its
 * pick chosen.
 */
export async function stackCaptures(
  captures: readonly CaptureToStack[],
  options: StackCapturesOptions,
): Promise<StackCapturesResult> {
  const frames = await analyseFrames(
    captures.map((c) => c.image),
    {
      previews: options.previews,
      ...(options.hints === undefined ? {} : { hints: options.hints }),
      ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
      ...(options.onProblem === undefined ? {} : { onProblem: options.onProblem }),
    },
  );
  return { stacks: detectStacks(frames, options.profile), frames };
}
