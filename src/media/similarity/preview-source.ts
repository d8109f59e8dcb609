import type { ExifTool } from 'exiftool-vendored';
import { extractPreview } from '../preview/preview.js';

/**
 * Where the detector gets pixels: a file path → an image sharp can decode (the file itself for
 * JPEG, TIFF, PNG; the largest embedded JPEG for a RAW or HEIC), or undefined when the file has
 * none (video, audio, sidecars, a RAW without preview).
 */
export interface PreviewSource {
  preview(path: string): Promise<Buffer | undefined>;
}

/**
 * Media's preview extraction (format by content, our own container parsers first), with
 * ExifTool's binary tags as the fallback when one is given.
 */
export class MediaPreviewSource implements PreviewSource {
  constructor(private readonly exiftool?: ExifTool) {}

  async preview(path: string): Promise<Buffer | undefined> {
    const found = await extractPreview(
      path,
      this.exiftool === undefined ? {} : { exiftool: this.exiftool },
    );
    return found?.data;
  }
}

/** Image files of a capture, most worth looking at first: decoded directly, then RAW previews. */
const PREFERENCE = [
  ...['jpg', 'jpeg', 'jpe', 'heic', 'heif', 'hif', 'tif', 'tiff', 'png', 'webp'],
  ...'dng cr3 cr2 crw nef nrw arw srf sr2 raf orf rw2 rwl pef 3fr fff iiq mos erf srw x3f gpr'.split(
    ' ',
  ),
];

/**
 * The file of a capture (a RAW with its JPEG and sidecars) to look at: its JPEG when it has
 * one (decoded shrunk, no container to parse), else its RAW; undefined for a capture of
 * sidecars, audio or video only.
 */
export function imageOfCapture(relPaths: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestRank = PREFERENCE.length;
  for (const p of relPaths) {
    const rank = PREFERENCE.indexOf(extensionOf(p));
    if (rank >= 0 && rank < bestRank) {
      best = p;
      bestRank = rank;
    }
  }
  return best;
}

function extensionOf(path: string): string {
  const name = path.slice(path.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
}
