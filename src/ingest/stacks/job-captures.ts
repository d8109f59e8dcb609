import type { StackFrameRecord } from '../../catalog/index.js';
import type { ContentHash, SourceId } from '../../core/index.js';
import { imageOfCapture, type AnalysedFrame } from '../../media/similarity/index.js';
import { captureKeyOf } from '../plan.js';
import type { CaptureToStack } from './stack-captures.js';

/** What the stacker knows of a job: its secured files, and what it saw of their images. */
export interface JobFiles {
  readonly sourceId: SourceId;
  readonly files: Map<string, { readonly hash: ContentHash; readonly copies: readonly string[] }>;
  /** Captures that got a file since the job was last looked at. */
  fresh: Set<string>;
  /** Each capture looked at: its image's content, capture time and whether it could be decoded. */
  readonly looked: Map<string, Looked>;
}

export interface Looked {
  readonly image: ContentHash;
  readonly time?: number;
  readonly decoded: boolean;
}

/** A capture and its image: the file looked at, and its content. */
export interface Capture extends CaptureToStack {
  readonly imageHash: ContentHash;
}

/** A job's captures that have an image to look at (a RAW with its JPEG: the JPEG). */
export function capturesOf(job: JobFiles): Map<string, Capture> {
  const byCapture = new Map<string, string[]>();
  for (const relPath of job.files.keys()) {
    const key = captureKeyOf(relPath);
    byCapture.set(key, [...(byCapture.get(key) ?? []), relPath]);
  }
  const out = new Map<string, Capture>();
  for (const [captureKey, relPaths] of byCapture) {
    const image = imageOfCapture(relPaths);
    const file = image === undefined ? undefined : job.files.get(image);
    const copy = file?.copies[0];
    if (file !== undefined && copy !== undefined)
      out.set(captureKey, {
        captureKey,
        files: relPaths.sort(),
        image: copy,
        imageHash: file.hash,
      });
  }
  return out;
}

/** A capture as a frame of a stack: its files, and what its pick was chosen by. */
export function frameRecord(
  capture: Capture,
  frame: AnalysedFrame | undefined,
  job: JobFiles,
): StackFrameRecord {
  return {
    captureKey: capture.captureKey,
    files: capture.files.map((relPath) => ({
      relPath,
      hash: (job.files.get(relPath) as { hash: ContentHash }).hash,
    })),
    ...(frame?.hints.rating === undefined ? {} : { rating: frame.hints.rating }),
    ...(frame?.features === undefined ? {} : { focus: frame.features.focus }),
  };
}
