import { extname } from 'node:path';
import { withFileReader, type ByteReader } from './byte-reader.js';
import { classifyBmff } from './classify-bmff.js';
import { classifyTiff } from './classify-tiff.js';
import { FORMATS, type MediaFormat, type MediaKind } from './formats.js';

export type DetectedFormat =
  | {
      readonly format: MediaFormat;
      readonly kind: MediaKind;
      /** Make and model when the container names them where the detector looks (TIFF IFD0). */
      readonly make?: string;
      readonly model?: string;
      readonly detail?: string;
    }
  | { readonly format: 'unknown'; readonly kind: 'unknown'; readonly detail: string };

const known = (
  format: MediaFormat,
  extra: { make?: string; model?: string; detail?: string } = {},
): DetectedFormat => ({
  format,
  kind: FORMATS[format].kind,
  ...extra,
});
const unknown = (detail: string): DetectedFormat => ({
  format: 'unknown',
  kind: 'unknown',
  detail,
});

const PNG_SIGNATURE = '89504e470d0a1a0a';
const XMP_START =
  /^(\uFEFF)?\s*(<\?xpacket|<x:xmpmeta|<x:xapmeta|<rdf:RDF|<\?xml[^>]*>\s*(<!--.*?-->\s*)*<(x:xmpmeta|x:xapmeta|rdf:RDF))/s;

function isTransportStream(head: Buffer, packet: 188 | 192): boolean {
  const first = packet === 192 ? 4 : 0;
  let seen = 0;
  for (let at = first; at < head.length && seen < 3; at += packet, seen++)
    if (head[at] !== 0x47) return false;
  return seen >= 2;
}

/**
 * What a file is, from its bytes: magic numbers, then container structure (TIFF IFDs and maker
 * notes, ISO-BMFF brands and Canon's compressor version). `name` only tells a THM (a JPEG that
 * belongs to a video) from a JPEG. No process is spawned; a few small reads per file.
 */
export async function detectFormat(reader: ByteReader, name?: string): Promise<DetectedFormat> {
  if (reader.size === 0) return unknown('empty file');
  const head = await reader.read(0, 1024);
  if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff)
    return known(name !== undefined && extname(name).toUpperCase() === '.THM' ? 'THM' : 'JPEG');
  if (head.toString('hex', 0, 8) === PNG_SIGNATURE) return known('PNG');
  const lead = head.toString('latin1', 0, 16);
  if (lead.startsWith('FUJIFILM')) return known('RAF');
  if (lead.startsWith('FOVb')) return known('X3F');
  if (
    (lead.startsWith('II') || lead.startsWith('MM')) &&
    head.toString('latin1', 6, 14) === 'HEAPCCDR'
  )
    return known('CRW');
  if (/^(II\+\0|MM\0\+)/s.test(lead)) return known('TIFF', { detail: 'BigTIFF' });
  if (/^(II\*\0|MM\0\*|IIRO|IIRS|MMOR|IIU\0)/s.test(lead)) {
    const t = await classifyTiff(reader);
    if (t !== undefined) {
      const { format, ...rest } = t;
      return known(format, rest);
    }
    return unknown('TIFF-like header without a readable structure');
  }
  if (head.length >= 12) {
    const bmff = await classifyBmff(reader, head);
    if (bmff !== undefined)
      return 'unknown' in bmff
        ? unknown(bmff.unknown)
        : known(bmff.format, bmff.detail === undefined ? {} : { detail: bmff.detail });
  }
  if (lead.startsWith('RIFF') && head.toString('latin1', 8, 12) === 'WAVE') return known('WAV');
  if (isTransportStream(head, 192)) return known('M2TS');
  if (isTransportStream(head, 188))
    return known('M2TS', { detail: 'MPEG-2 transport stream without timestamps (M2T)' });
  if (XMP_START.test(head.toString('utf8'))) return known('XMP');
  return unknown('no known signature');
}

/** detectFormat on a file. */
export function detectFile(path: string): Promise<DetectedFormat> {
  return withFileReader(path, (reader) => detectFormat(reader, path));
}
