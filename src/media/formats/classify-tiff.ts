import type { ByteReader } from './byte-reader.js';
import type { MediaFormat } from './formats.js';
import { TiffReader, type Ifd } from './tiff-reader.js';

export interface TiffClass {
  readonly format: MediaFormat;
  readonly make?: string;
  readonly model?: string;
  /** Why, for the unrecognised: "raw data from an unknown camera". */
  readonly detail?: string;
}

const RW2_MAGIC = '88e774d8f8251d4d947a6e77822b5d6a';
/** Compression codes only raw files use (as ExifTool's IdentifyRawFile). */
const RAW_COMPRESSION = new Set([
  32767, 32769, 32770, 32772, 34713, 34892, 65000, 65535, 34316, 32867, 262, 99,
]);
/** CFA and LinearRaw photometric interpretations: sensor data. */
const RAW_PHOTOMETRIC = new Set([32803, 34892]);

async function hasRawData(t: TiffReader, ifds: readonly Ifd[]): Promise<boolean> {
  for (const ifd of ifds) {
    const compression = await t.number(ifd.entries.get(0x0103));
    const photometric = await t.number(ifd.entries.get(0x0106));
    if (
      (compression !== undefined && RAW_COMPRESSION.has(compression)) ||
      (photometric !== undefined && RAW_PHOTOMETRIC.has(photometric))
    )
      return true;
  }
  return false;
}

/** The first bytes of the maker note (ExifIFD 0x927c), to tell vendor structures apart. */
async function makerNoteHead(
  t: TiffReader,
  ifd0: Ifd,
): Promise<{ head: Buffer; at: number } | undefined> {
  const exifAt = await t.number(ifd0.entries.get(0x8769));
  if (exifAt === undefined) return undefined;
  const exif = await t.ifd(exifAt);
  const note = exif?.entries.get(0x927c);
  if (note === undefined) return undefined;
  return { head: await t.reader.read(note.valueAt, Math.min(note.size, 64)), at: note.valueAt };
}

/** Sony's FileFormat (maker note 0xb000): 1.0.0.0 is SR2. */
async function sonyFileFormat(
  t: TiffReader,
  note: { head: Buffer; at: number },
): Promise<string | undefined> {
  if (!note.head.toString('latin1', 0, 9).startsWith('SONY DSC')) return undefined;
  const ifd = await t.ifd(note.at + 12 - t.base);
  return ifd === undefined ? undefined : (await t.numbers(ifd.entries.get(0xb000), 4)).join('.');
}

/**
 * A TIFF-structured file: header magic first (ORF, RW2/RWL, CR2, IIQ), then DNGVersion, then
 * the camera maker with proof of sensor data (CFA or raw compression) for the vendor raws;
 * everything else is a TIFF image.
 */
export async function classifyTiff(reader: ByteReader): Promise<TiffClass | undefined> {
  const header = await TiffReader.header(reader);
  if (header === undefined) return undefined;
  const t = new TiffReader(reader, header.littleEndian);
  const sig = await reader.read(8, 16);
  const ifd0 = await t.ifd(header.ifd0);
  const make = ifd0 === undefined ? undefined : await t.ascii(ifd0.entries.get(0x010f));
  const model = ifd0 === undefined ? undefined : await t.ascii(ifd0.entries.get(0x0110));
  const camera = {
    ...(make === undefined ? {} : { make }),
    ...(model === undefined ? {} : { model }),
  };
  if (header.magic === 0x4f52 || header.magic === 0x5352) return { format: 'ORF', ...camera };
  if (header.magic === 0x55) {
    if (sig.toString('hex') !== RW2_MAGIC) return undefined;
    return { format: /^leica/i.test(make ?? '') ? 'RWL' : 'RW2', ...camera };
  }
  if (header.magic !== 42) return undefined;
  if (header.ifd0 >= 16 && sig.toString('latin1', 0, 4) === 'CR\x02\0')
    return { format: 'CR2', ...camera };
  if (/^(IIII.waR|MMMMRaw.)/s.test(sig.toString('latin1', 0, 8)))
    return { format: 'IIQ', ...camera };
  if (ifd0 === undefined) return { format: 'TIFF', detail: 'IFD0 unreadable' };
  if (ifd0.entries.has(0xc612)) return { format: 'DNG', ...camera };
  const ifds = await t.imageIfds(header.ifd0);
  const raw = await hasRawData(t, ifds);
  const m = (make ?? '').toUpperCase();
  if (!raw) return { format: 'TIFF', ...camera };
  if (m.startsWith('NIKON'))
    return { format: (await t.number(ifd0.entries.get(0x0103))) === 6 ? 'NRW' : 'NEF', ...camera };
  if (m.startsWith('SONY')) {
    const note = await makerNoteHead(t, ifd0);
    if (note !== undefined && (await sonyFileFormat(t, note)) === '1.0.0.0')
      return { format: 'SR2', ...camera };
    if (
      note !== undefined &&
      !/^(SONY (DSC|CAM)|\0\0SONY PIC)/.test(note.head.toString('latin1', 0, 12))
    )
      return { format: 'SRF', ...camera };
    return { format: 'ARW', ...camera };
  }
  if (m.startsWith('PENTAX') || m.startsWith('RICOH IMAGING') || m.startsWith('ASAHI'))
    return { format: 'PEF', ...camera };
  if (m.startsWith('SAMSUNG')) return { format: 'SRW', ...camera };
  if (m.startsWith('HASSELBLAD')) return { format: '3FR', ...camera };
  if (m.startsWith('PHASE ONE') || m.startsWith('LEAF')) return { format: 'IIQ', ...camera };
  return {
    format: 'TIFF',
    ...camera,
    detail: 'sensor data from a camera without a known raw format',
  };
}
