import type { CaptureRecord, DocFile } from '../catalog/index.js';

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

/** The stack a capture is in (issue 5's `stack` facet: its kind and `stack:<id>`). */
export function stackOf(
  capture: CaptureRecord,
): { readonly id: string; readonly kind: string } | undefined {
  const values = capture.facets['stack'] ?? [];
  const id = values.find((v) => v.startsWith('stack:'));
  if (id === undefined) return undefined;
  return { id, kind: values.find((v) => !v.startsWith('stack:')) ?? 'stack' };
}
