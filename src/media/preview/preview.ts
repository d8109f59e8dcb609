import type { ExifTool } from 'exiftool-vendored';
import { withFileReader, type ByteReader } from '../formats/byte-reader.js';
import { detectFormat } from '../formats/detect.js';
import { embeddedJpegs } from './locate.js';

/** A picture of a file that sharp decodes: its largest embedded JPEG, or the file itself. */
export interface Preview {
  readonly data: Buffer;
  /** sharp's name for the encoding: 'jpeg', 'png', 'tiff'. */
  readonly encoding: string;
  readonly width: number;
  readonly height: number;
  /** 'embedded': found by our parsers; 'file': the file is itself a picture; 'exiftool': ExifTool found it. */
  readonly source: 'embedded' | 'file' | 'exiftool';
}

export interface PreviewOptions {
  /** Asked for PreviewImage/JpgFromRaw/ThumbnailImage when our parsers find nothing. */
  readonly exiftool?: ExifTool;
  /** Larger candidates are skipped (default 64 MB). */
  readonly maxBytes?: number;
}

const EXIFTOOL_TAGS = [
  'JpgFromRaw',
  'PreviewImage',
  'OtherImage',
  'ThumbnailImage',
  'PhotoshopThumbnail',
  'CoverArt',
] as const;
const SELF_DECODABLE = new Set(['JPEG', 'THM', 'PNG', 'TIFF']);

async function describe(data: Buffer, source: Preview['source']): Promise<Preview | undefined> {
  // Loaded on first use: libvips costs tens of MB of memory an ingest does not need.
  const { default: sharp } = await import('sharp');
  try {
    const m = await sharp(data, { failOn: 'none' }).metadata();
    if (m.width === undefined || m.height === undefined || m.format === undefined) return undefined;
    return { data, encoding: m.format, width: m.width, height: m.height, source };
  } catch {
    return undefined;
  }
}

const largest = (a: Preview | undefined, b: Preview | undefined): Preview | undefined =>
  a === undefined ? b : b === undefined ? a : b.width * b.height > a.width * a.height ? b : a;

async function fromReader(
  reader: ByteReader,
  name: string,
  maxBytes: number,
): Promise<Preview | undefined> {
  const detected = await detectFormat(reader, name);
  if (detected.format === 'unknown') return undefined;
  if (SELF_DECODABLE.has(detected.format) && reader.size <= maxBytes) {
    const whole = await describe(await reader.read(0, reader.size), 'file');
    if (whole !== undefined) return whole;
  }
  let best: Preview | undefined;
  for (const span of await embeddedJpegs(reader, detected.format)) {
    if (span.length < 4 || span.length > maxBytes || span.at + span.length > reader.size) continue;
    const data = await reader.read(span.at, span.length);
    if (data[0] !== 0xff || data[1] !== 0xd8) continue;
    best = largest(best, await describe(Buffer.from(data), 'embedded'));
  }
  return best;
}

/**
 * The embedded preview of a file as a buffer sharp decodes (what similarity and screens use),
 * or undefined when it has none (MTS, WAV, XMP, HEVC-only HEIC). Our own parsers first (no
 * process per file); ExifTool's binary tags as the fallback when an ExifTool is given.
 */
export async function extractPreview(
  path: string,
  options: PreviewOptions = {},
): Promise<Preview | undefined> {
  const maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
  const found = await withFileReader(path, (reader) => fromReader(reader, path, maxBytes));
  if (found !== undefined || options.exiftool === undefined) return found;
  let best: Preview | undefined;
  for (const tag of EXIFTOOL_TAGS) {
    try {
      const data = await options.exiftool.extractBinaryTagToBuffer(tag, path);
      if (data.length > 0 && data.length <= maxBytes)
        best = largest(best, await describe(data, 'exiftool'));
    } catch {
      // The file has no such tag.
    }
  }
  return best;
}
