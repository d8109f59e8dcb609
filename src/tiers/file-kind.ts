/**
 * What a file is, as far as tier rules care, known before a byte is copied. For now this is
 * the extension (cameras name their files predictably); content-based detection can replace
 * `fileKindOf` here without touching the rules.
 */
export type FileKind = 'raw' | 'jpeg' | 'heif' | 'video' | 'audio' | 'sidecar' | 'other';

export const FILE_KINDS: readonly FileKind[] = [
  'raw',
  'jpeg',
  'heif',
  'video',
  'audio',
  'sidecar',
  'other',
];

const BY_EXTENSION: Readonly<Record<string, FileKind>> = kinds({
  raw: 'cr2 cr3 crw nef nrw arw srf sr2 raf orf rw2 rwl pef dng 3fr fff iiq mos erf srw x3f gpr',
  jpeg: 'jpg jpeg jpe',
  heif: 'heic heif hif avif',
  video: 'mp4 mov m4v avi mts m2ts mxf crm braw r3d insv lrv lrf 3gp',
  audio: 'wav mp3 m4a aac',
  sidecar: 'xmp thm xml dop pp3',
});

function kinds(
  table: Readonly<Record<Exclude<FileKind, 'other'>, string>>,
): Record<string, FileKind> {
  const out: Record<string, FileKind> = {};
  for (const [kind, exts] of Object.entries(table) as [FileKind, string][])
    for (const ext of exts.split(' ')) out[ext] = kind;
  return out;
}

/** The kind of a file from its name (the last extension, case-insensitive). */
export function fileKindOf(relPath: string): FileKind {
  const name = relPath.slice(relPath.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  return dot > 0 ? (BY_EXTENSION[name.slice(dot + 1).toLowerCase()] ?? 'other') : 'other';
}

/** Kinds in the order that makes one a capture's main file: a RAW with its JPEG is a RAW. */
const PRIMARY_ORDER: readonly FileKind[] = [
  'raw',
  'video',
  'heif',
  'jpeg',
  'audio',
  'other',
  'sidecar',
];

/** The kind of a capture: its most original file's (RAW before video before HEIF before JPEG …). */
export function captureKindOf(relPaths: readonly string[]): FileKind {
  const present = new Set(relPaths.map(fileKindOf));
  return PRIMARY_ORDER.find((k) => present.has(k)) ?? 'other';
}
