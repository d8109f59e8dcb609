import { boxesIn, childBoxes, UUID_CANON, UUID_CANON_PREVIEW } from '../formats/bmff-reader.js';
import type { ByteReader } from '../formats/byte-reader.js';
import type { MediaFormat } from '../formats/formats.js';
import { TiffReader } from '../formats/tiff-reader.js';

/** Where an embedded JPEG is: offset and length in the file. */
export interface Span {
  readonly at: number;
  readonly length: number;
}

/** JPEGs referenced by TIFF IFDs: JPEGInterchangeFormat pairs, single JPEG strips, RW2's JpgFromRaw. */
async function tiffPreviews(reader: ByteReader): Promise<Span[]> {
  const header = await TiffReader.header(reader);
  if (header === undefined) return [];
  const t = new TiffReader(reader, header.littleEndian);
  const out: Span[] = [];
  for (const ifd of await t.imageIfds(header.ifd0)) {
    const start = await t.number(ifd.entries.get(0x0201));
    const length = await t.number(ifd.entries.get(0x0202));
    if (start !== undefined && length !== undefined) out.push({ at: start, length });
    const compression = await t.number(ifd.entries.get(0x0103));
    const strips = await t.numbers(ifd.entries.get(0x0111), 2);
    const counts = await t.numbers(ifd.entries.get(0x0117), 2);
    if ((compression === 6 || compression === 7) && strips.length === 1 && counts.length === 1)
      out.push({ at: strips[0]!, length: counts[0]! });
    const jpgFromRaw = ifd.entries.get(0x002e);
    if (header.magic === 0x55 && jpgFromRaw !== undefined)
      out.push({ at: jpgFromRaw.valueAt, length: jpgFromRaw.size });
  }
  return out;
}

/** CR3/CRM/MP4/MOV: Canon PRVW (uuid eaf42b5e…), THMB and CNTH in Canon's moov uuid, Nikon NCVW/NCTH. */
async function bmffPreviews(reader: ByteReader): Promise<Span[]> {
  const out: Span[] = [];
  for (const top of await boxesIn(reader, 0, reader.size)) {
    if (top.uuid === UUID_CANON_PREVIEW) {
      const prvw = (await boxesIn(reader, top.body + 8, top.end)).find((b) => b.type === 'PRVW');
      if (prvw !== undefined) {
        const h = await reader.read(prvw.body, 16);
        if (h.length === 16) out.push({ at: prvw.body + 16, length: h.readUInt32BE(12) });
      }
    }
    if (top.type !== 'moov') continue;
    for (const box of await childBoxes(reader, top)) {
      if (box.uuid === UUID_CANON) {
        for (const inner of await childBoxes(reader, box)) {
          if (inner.type === 'THMB')
            out.push({ at: inner.body + 16, length: inner.end - inner.body - 16 });
          if (inner.type === 'CNTH')
            for (const cnda of await childBoxes(reader, inner))
              if (cnda.type === 'CNDA') out.push({ at: cnda.body, length: cnda.end - cnda.body });
        }
      }
      if (box.type === 'udta')
        for (const u of await childBoxes(reader, box))
          if (u.type === 'NCDT')
            for (const n of await childBoxes(reader, u))
              if (n.type === 'NCVW' || n.type === 'NCTH')
                out.push({ at: n.body, length: n.end - n.body });
    }
  }
  return out;
}

/** HEIF: items of type 'jpeg' (Sony's and our previews); HEVC items are not decodable here. */
async function heifPreviews(reader: ByteReader): Promise<Span[]> {
  const meta = (await boxesIn(reader, 0, reader.size)).find((b) => b.type === 'meta');
  if (meta === undefined) return [];
  const children = await childBoxes(reader, meta, 4);
  const iinf = children.find((b) => b.type === 'iinf');
  const iloc = children.find((b) => b.type === 'iloc');
  if (iinf === undefined || iloc === undefined) return [];
  const jpegItems = new Set<number>();
  const head = await reader.read(iinf.body, 6);
  const entriesAt = iinf.body + (head[0] === 0 ? 6 : 8);
  for (const infe of await boxesIn(reader, entriesAt, iinf.end)) {
    const b = await reader.read(infe.body, 12);
    if (b[0]! >= 2 && b.length >= 12) {
      const id = b[0] === 2 ? b.readUInt16BE(4) : b.readUInt32BE(4);
      const type = b.toString('latin1', b[0] === 2 ? 8 : 10, b[0] === 2 ? 12 : 14);
      if (type === 'jpeg') jpegItems.add(id);
    }
  }
  const loc = await reader.read(iloc.body, iloc.end - iloc.body);
  const version = loc[0]!;
  const offsetSize = loc[4]! >> 4;
  const lengthSize = loc[4]! & 15;
  const baseSize = loc[5]! >> 4;
  const indexSize = version >= 1 ? loc[5]! & 15 : 0;
  const readN = (at: number, n: number): number =>
    n === 0
      ? 0
      : n === 4
        ? loc.readUInt32BE(at)
        : n === 8
          ? Number(loc.readBigUInt64BE(at))
          : loc.readUInt16BE(at);
  let at = 6;
  const count = version < 2 ? loc.readUInt16BE(at) : loc.readUInt32BE(at);
  at += version < 2 ? 2 : 4;
  const out: Span[] = [];
  for (let i = 0; i < count && at < loc.length; i++) {
    const id = version < 2 ? loc.readUInt16BE(at) : loc.readUInt32BE(at);
    at += version < 2 ? 2 : 4;
    if (version >= 1) at += 2;
    at += 2;
    const base = readN(at, baseSize);
    at += baseSize;
    const extents = loc.readUInt16BE(at);
    at += 2;
    for (let e = 0; e < extents; e++) {
      at += indexSize;
      const offset = readN(at, offsetSize);
      at += offsetSize;
      const length = readN(at, lengthSize);
      at += lengthSize;
      if (jpegItems.has(id) && extents === 1) out.push({ at: base + offset, length });
    }
  }
  return out;
}

/** RAF: the JPEG the header points at. */
async function rafPreview(reader: ByteReader): Promise<Span[]> {
  const h = await reader.read(0x54, 8);
  return h.length === 8 ? [{ at: h.readUInt32BE(0), length: h.readUInt32BE(4) }] : [];
}

/** CRW: JpgFromRaw (0x2007) in the root CIFF heap. */
async function crwPreview(reader: ByteReader): Promise<Span[]> {
  const head = await reader.read(2, 4);
  const start = head.readUInt32LE(0);
  const tail = await reader.read(reader.size - 4, 4);
  if (tail.length < 4) return [];
  const dirAt = start + tail.readUInt32LE(0);
  const count = (await reader.read(dirAt, 2)).readUInt16LE(0);
  const table = await reader.read(dirAt + 2, count * 10);
  const out: Span[] = [];
  for (let i = 0; i + 10 <= table.length; i += 10) {
    if ((table.readUInt16LE(i) & 0x3fff) === 0x2007)
      out.push({ at: start + table.readUInt32LE(i + 6), length: table.readUInt32LE(i + 2) });
  }
  return out;
}

/** X3F: image sections (SECi) holding a JPEG (format 18). */
async function x3fPreviews(reader: ByteReader): Promise<Span[]> {
  const tail = await reader.read(reader.size - 4, 4);
  if (tail.length < 4) return [];
  const dirAt = tail.readUInt32LE(0);
  const head = await reader.read(dirAt, 12);
  if (head.toString('latin1', 0, 4) !== 'SECd') return [];
  const count = head.readUInt32LE(8);
  const dir = await reader.read(dirAt + 12, Math.min(count, 256) * 12);
  const out: Span[] = [];
  for (let i = 0; i + 12 <= dir.length; i += 12) {
    const type = dir.toString('latin1', i + 8, i + 12);
    if (type !== 'IMAG' && type !== 'IMA2') continue;
    const at = dir.readUInt32LE(i);
    const sec = await reader.read(at, 28);
    if (sec.toString('latin1', 0, 4) === 'SECi' && sec.readUInt32LE(12) === 18)
      out.push({ at: at + 28, length: dir.readUInt32LE(i + 4) - 28 });
  }
  return out;
}

/** Candidate embedded JPEGs of a file of `format`, in no particular order. */
export async function embeddedJpegs(reader: ByteReader, format: MediaFormat): Promise<Span[]> {
  switch (format) {
    case 'CR3':
    case 'CRM':
    case 'MP4':
    case 'MOV':
      return bmffPreviews(reader);
    case 'HEIC':
    case 'HEIF':
      return heifPreviews(reader);
    case 'RAF':
      return rafPreview(reader);
    case 'CRW':
      return crwPreview(reader);
    case 'X3F':
      return x3fPreviews(reader);
    case 'JPEG':
    case 'THM':
    case 'PNG':
    case 'XMP':
    case 'WAV':
    case 'M2TS':
      return [];
    default:
      return tiffPreviews(reader);
  }
}
