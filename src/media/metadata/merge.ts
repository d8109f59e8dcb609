import type { MediaMetadata } from '../../core/index.js';

/** One file of a capture with what was read from it. */
export interface CaptureMember {
  readonly format: string;
  readonly kind: string;
  readonly metadata: MediaMetadata;
}

type Field = keyof MediaMetadata;

/** What the photographer edits (ratings, keywords, captions): the sidecar is the truth. */
const EDIT_FIELDS: readonly Field[] = [
  'rating',
  'label',
  'title',
  'caption',
  'creators',
  'copyright',
  'usageTerms',
  'history',
  'develop',
];

const rank = (order: readonly string[], m: CaptureMember): number => {
  const key =
    m.format === 'XMP' ? 'xmp' : m.format === 'THM' || m.format === 'WAV' ? 'minor' : m.kind;
  const i = order.indexOf(key);
  return i < 0 ? order.length : i;
};
const EDIT_ORDER = ['xmp', 'raw', 'image', 'video', 'minor'];
const CAMERA_ORDER = ['raw', 'image', 'video', 'xmp', 'minor'];

/**
 * A capture's metadata from its files: edits from the XMP sidecar first, then the raw, the
 * JPEG/HEIF, the video; camera facts from the raw first; keywords from all of them.
 */
export function mergeCapture(members: readonly CaptureMember[]): MediaMetadata {
  const byEdit = [...members].sort((a, b) => rank(EDIT_ORDER, a) - rank(EDIT_ORDER, b));
  const byCamera = [...members].sort((a, b) => rank(CAMERA_ORDER, a) - rank(CAMERA_ORDER, b));
  const out: Record<string, unknown> = {};
  const fields = new Set(members.flatMap((m) => Object.keys(m.metadata) as Field[]));
  for (const field of fields) {
    if (field === 'keywords') continue;
    const order = EDIT_FIELDS.includes(field) ? byEdit : byCamera;
    const from = order.find((m) => m.metadata[field] !== undefined);
    if (from !== undefined) out[field] = from.metadata[field];
  }
  // Offset belongs with the capture time it came with.
  const timed = byCamera.find((m) => m.metadata.captureTime !== undefined);
  if (timed !== undefined) {
    if (timed.metadata.offsetMinutes === undefined) delete out.offsetMinutes;
    else out.offsetMinutes = timed.metadata.offsetMinutes;
  }
  const keywords = new Map<string, string>();
  for (const m of byEdit)
    for (const k of m.metadata.keywords ?? [])
      if (!keywords.has(k.toLowerCase())) keywords.set(k.toLowerCase(), k);
  if (keywords.size > 0) out.keywords = [...keywords.values()];
  return out;
}
