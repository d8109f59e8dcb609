import { errorMessage } from '../../core/index.js';
import { forEachConcurrent } from '../../platform/index.js';
import type { Frame } from './compare.js';
import { decodeLuma } from './decode.js';
import { frameFeatures, type FrameFeatures } from './features.js';
import type { CaptureHints, HintReader } from './hints.js';
import type { PreviewSource } from './preview-source.js';

export interface AnalyseOptions {
  readonly previews: PreviewSource;
  /** Camera hints (capture time, drive mode, bracketing, rating); without it, pixels alone. */
  readonly hints?: HintReader;
  /** Frames decoded at once (sharp runs them on its thread pool). Default 4. */
  readonly concurrency?: number;
  /** A frame that cannot be looked at (no preview, undecodable): it stays a single frame. */
  readonly onProblem?: (path: string, message: string) => void;
}

/** A file looked at: its features (none when it has no decodable image) and its hints. */
export interface AnalysedFrame extends Frame {
  readonly path: string;
}

/** Features of one file's image (its embedded preview for a RAW); undefined when it has none. */
export async function analyseImage(
  path: string,
  previews: PreviewSource,
): Promise<FrameFeatures | undefined> {
  const image = await previews.preview(path);
  return image === undefined ? undefined : frameFeatures(await decodeLuma(image));
}

/**
 * Looks at each file: reads its hints and decodes its image small, a few at a time. A file
 * that fails is reported and kept without features, so it is never grouped but never lost.
 */
export async function analyseFrames(
  paths: readonly string[],
  options: AnalyseOptions,
): Promise<AnalysedFrame[]> {
  const features = new Map<string, FrameFeatures>();
  const [hints] = await Promise.all([
    options.hints?.read(paths) ?? Promise.resolve(new Map<string, CaptureHints>()),
    forEachConcurrent(paths, options.concurrency ?? 4, async (path) => {
      try {
        const f = await analyseImage(path, options.previews);
        if (f === undefined) options.onProblem?.(path, 'no image or embedded preview to look at');
        else features.set(path, f);
      } catch (err) {
        options.onProblem?.(path, `cannot decode its image: ${errorMessage(err)}`);
      }
    }),
  ]);
  return paths.map((path) => {
    const f = features.get(path);
    return { path, hints: hints.get(path) ?? {}, ...(f === undefined ? {} : { features: f }) };
  });
}
