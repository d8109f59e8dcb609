import type { CaptureRecord, DocFile } from '../catalog/index.js';
import type { JobId } from '../core/index.js';
import type { StackQuery } from '../ingest/stacks/index.js';

const MAIN_KIND_ORDER = ['raw', 'image', 'video'];

/** The file a capture is known by: its RAW, else its image, else its video, else the first. */
export function mainFile(capture: CaptureRecord): DocFile {
  const rank = (f: DocFile): number => {
    const i = MAIN_KIND_ORDER.indexOf(f.kind);
    return i === -1 ? MAIN_KIND_ORDER.length : i;
  };
  const sorted = [...capture.files].sort((a, b) => rank(a) - rank(b));
  // A capture has at least one file: the index drops captures without any.
  return sorted[0] ?? capture.files[0]!;
}

/**
 * The files whose embedded preview makes the thumbnail, best first: a RAW's preview is what the
 * camera rendered; the camera JPEG is the fallback (and the only picture of a JPEG-only capture).
 */
export function previewFiles(capture: CaptureRecord): DocFile[] {
  const order = ['raw', 'image'];
  return capture.files
    .filter((f) => order.includes(f.kind))
    .sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind));
}

/** A stack as the gallery shows it: one tile, opened at `/stack/<id>`. */
export interface TileStack {
  /** `<jobId>:<no>`: the job (card) and the stack's number in it. */
  readonly id: string;
  readonly kind: string;
  readonly count: number;
}

const STACK_ID = /^([A-Za-z0-9_.-]{1,80}):(\d{1,6})$/;

/** The job and number of a stack id; undefined for anything that is not one. */
export function parseStackId(id: string): { jobId: JobId; no: number } | undefined {
  const m = STACK_ID.exec(id);
  return m === null ? undefined : { jobId: m[1] as JobId, no: Number(m[2]) };
}

/** The stack a capture is a frame of (issue 5's stacks), if its `stack` facet says it has one. */
export function stackOf(capture: CaptureRecord, stacks: StackQuery): TileStack | undefined {
  if ((capture.facets['stack'] ?? []).length === 0) return undefined;
  const s = stacks.ofCapture(capture.captureId)[0];
  return s === undefined
    ? undefined
    : { id: `${s.jobId}:${s.no}`, kind: s.kind, count: s.members.length };
}
