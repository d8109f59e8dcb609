import * as fs from 'node:fs/promises';
import type { ExifTool } from 'exiftool-vendored';

/**
 * Where the detector gets pixels: a file path → an image sharp can decode (the file itself for
 * JPEG, TIFF, PNG, WebP, AVIF; the largest embedded JPEG for a RAW or HEIC), or undefined when
 * the file has none (video, audio, sidecars, a RAW without preview).
 *
 * This is the seam to media's preview API (issue 3): on merge, an adapter of that API
 * implements this interface and ExifToolPreviewSource goes.
 */
export interface PreviewSource {
  preview(path: string): Promise<Buffer | undefined>;
}

/** Decoded directly by sharp's prebuilt libvips. */
const DECODABLE = new Set(['jpg', 'jpeg', 'jpe', 'tif', 'tiff', 'png', 'webp', 'avif']);
/**
 * Read through their embedded JPEG: RAW formats, and HEIC/HEIF (HEVC, which the prebuilt
 * libvips does not decode). Extensions until media's content-based detection replaces them.
 */
const EMBEDDED = new Set([
  ...'cr2 cr3 crw nef nrw arw srf sr2 raf orf rw2 rwl pef dng 3fr fff iiq mos erf srw x3f gpr'.split(
    ' ',
  ),
  'heic',
  'heif',
  'hif',
]);
/** Embedded images in the order tried: a medium preview is quicker than a full-size JpgFromRaw. */
const EMBEDDED_TAGS = ['PreviewImage', 'JpgFromRaw', 'OtherImage', 'ThumbnailImage'] as const;

/** Whether a file is an image the detector can look at, by its name. */
export function hasPreview(path: string): boolean {
  const ext = extensionOf(path);
  return DECODABLE.has(ext) || EMBEDDED.has(ext);
}

/**
 * The minimal PreviewSource: the file itself when sharp decodes it, else ExifTool's embedded
 * PreviewImage, JpgFromRaw, OtherImage or ThumbnailImage (the first one present), read from
 * the long-lived ExifTool into memory.
 */
export class ExifToolPreviewSource implements PreviewSource {
  constructor(private readonly exiftool: ExifTool) {}

  async preview(path: string): Promise<Buffer | undefined> {
    const ext = extensionOf(path);
    if (DECODABLE.has(ext)) return fs.readFile(path);
    if (!EMBEDDED.has(ext)) return undefined;
    for (const tag of EMBEDDED_TAGS) {
      try {
        return await this.exiftool.extractBinaryTagToBuffer(tag, path);
      } catch {
        // Not this one: try the next kind of embedded image.
      }
    }
    return undefined;
  }
}

function extensionOf(path: string): string {
  const name = path.slice(path.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
}
