import { boxesIn, childBoxes, UUID_CANON } from './bmff-reader.js';
import type { ByteReader } from './byte-reader.js';
import type { MediaFormat } from './formats.js';

const HEIC_BRANDS = new Set(['heic', 'hevc']);
const HEIF_BRANDS = new Set(['mif1', 'msf1', 'heix', 'heim', 'heis']);
const QUICKTIME_LEADING = new Set(['moov', 'mdat', 'wide', 'free', 'skip', 'pnot']);

/** Canon's CompressorVersion ("CanonCR3_001/…", "CanonCRM0001/…") inside moov/uuid. */
async function canonCompressor(reader: ByteReader): Promise<string | undefined> {
  const top = await boxesIn(reader, 0, reader.size);
  const moov = top.find((b) => b.type === 'moov');
  if (moov === undefined) return undefined;
  const canon = (await childBoxes(reader, moov)).find((b) => b.uuid === UUID_CANON);
  if (canon === undefined) return undefined;
  const cncv = (await childBoxes(reader, canon)).find((b) => b.type === 'CNCV');
  if (cncv === undefined) return undefined;
  return (await reader.read(cncv.body, Math.min(64, cncv.end - cncv.body)))
    .toString('latin1')
    .replace(/\0.*$/s, '');
}

/**
 * An ISO-BMFF / QuickTime file by its brands, as ExifTool reads them: 'crx ' is Canon's (CR3
 * or CRM by the compressor version), 'qt  ' QuickTime, heic/mif1 HEIF, the rest MP4.
 */
export async function classifyBmff(
  reader: ByteReader,
  head: Buffer,
): Promise<{ format: MediaFormat; detail?: string } | { unknown: string } | undefined> {
  const type = head.toString('latin1', 4, 8);
  if (type !== 'ftyp')
    return QUICKTIME_LEADING.has(type) && head.readUInt32BE(0) >= 8 ? { format: 'MOV' } : undefined;
  const size = head.readUInt32BE(0);
  if (size < 16 || size > 4096) return undefined;
  const ftyp = await reader.read(8, size - 8);
  const major = ftyp.toString('latin1', 0, 4);
  const compatible: string[] = [];
  for (let i = 8; i + 4 <= ftyp.length; i += 4) compatible.push(ftyp.toString('latin1', i, i + 4));
  if (major === 'crx ') {
    const version = await canonCompressor(reader);
    return {
      format: /^CanonCRM/i.test(version ?? '') ? 'CRM' : 'CR3',
      ...(version === undefined ? {} : { detail: version }),
    };
  }
  if (major === 'qt  ') return { format: 'MOV' };
  if (HEIC_BRANDS.has(major)) return { format: 'HEIC' };
  if (HEIF_BRANDS.has(major)) return { format: 'HEIF' };
  if (/^(avi[fso]|miaf|JP2 |jpm |jpx |mjp2|mj2s|M4A |M4B |M4P |3g)/.test(major))
    return { unknown: `ISO-BMFF brand "${major.trim()}"` };
  if (
    !/^(isom|iso\d|mp4[12]|avc1|M4V)/.test(major) &&
    !compatible.some((c) => /^(mp4[12]|avc1)$/.test(c)) &&
    compatible.includes('qt  ')
  )
    return { format: 'MOV' };
  return { format: 'MP4' };
}
