import type { ByteReader } from './byte-reader.js';

/** One IFD entry as read from a file: its raw value bytes (or where they are), type and count. */
export interface IfdEntry {
  readonly tag: number;
  readonly type: number;
  readonly count: number;
  /** Offset of the value in the file (inline values point into the entry). */
  readonly valueAt: number;
  readonly size: number;
}

export interface Ifd {
  readonly at: number;
  readonly entries: ReadonlyMap<number, IfdEntry>;
  readonly next: number;
}

const TYPE_SIZE: Readonly<Record<number, number>> = {
  1: 1,
  2: 1,
  3: 2,
  4: 4,
  5: 8,
  6: 1,
  7: 1,
  8: 2,
  9: 4,
  10: 8,
  11: 4,
  12: 8,
  13: 4,
};
/** A directory with more entries than this is garbage, not a camera's IFD. */
const MAX_ENTRIES = 1000;

/**
 * Reads TIFF structures (also when embedded at `base`, e.g. in a maker note or a JPEG APP1):
 * every offset is checked against the file, so a corrupt file yields fewer entries, never a hang.
 */
export class TiffReader {
  constructor(
    readonly reader: ByteReader,
    readonly littleEndian: boolean,
    /** Where offsets count from. */
    readonly base = 0,
  ) {}

  /** Byte order and magic of a TIFF header at `base`, or undefined if there is none. */
  static async header(
    reader: ByteReader,
    base = 0,
  ): Promise<{ littleEndian: boolean; magic: number; ifd0: number } | undefined> {
    const h = await reader.read(base, 8);
    if (h.length < 8) return undefined;
    const order = h.toString('latin1', 0, 2);
    if (order !== 'II' && order !== 'MM') return undefined;
    const le = order === 'II';
    return {
      littleEndian: le,
      magic: le ? h.readUInt16LE(2) : h.readUInt16BE(2),
      ifd0: le ? h.readUInt32LE(4) : h.readUInt32BE(4),
    };
  }

  u16(b: Buffer, at: number): number {
    return this.littleEndian ? b.readUInt16LE(at) : b.readUInt16BE(at);
  }

  u32(b: Buffer, at: number): number {
    return this.littleEndian ? b.readUInt32LE(at) : b.readUInt32BE(at);
  }

  async ifd(offset: number): Promise<Ifd | undefined> {
    const at = this.base + offset;
    if (offset <= 0 || at + 2 > this.reader.size) return undefined;
    const countBuf = await this.reader.read(at, 2);
    if (countBuf.length < 2) return undefined;
    const count = this.u16(countBuf, 0);
    if (count === 0 || count > MAX_ENTRIES) return undefined;
    const table = await this.reader.read(at + 2, count * 12 + 4);
    if (table.length < count * 12) return undefined;
    const entries = new Map<number, IfdEntry>();
    for (let i = 0; i < count; i++) {
      const e = i * 12;
      const tag = this.u16(table, e);
      const type = this.u16(table, e + 2);
      const n = this.u32(table, e + 4);
      const unit = TYPE_SIZE[type];
      if (unit === undefined) continue;
      const size = unit * n;
      const valueAt = size <= 4 ? at + 2 + e + 8 : this.base + this.u32(table, e + 8);
      if (size > 4 && valueAt + size > this.reader.size) continue;
      if (!entries.has(tag)) entries.set(tag, { tag, type, count: n, valueAt, size });
    }
    const next = table.length >= count * 12 + 4 ? this.u32(table, count * 12) : 0;
    return { at, entries, next };
  }

  async bytes(e: IfdEntry | undefined, max = 1 << 20): Promise<Buffer | undefined> {
    if (e === undefined) return undefined;
    return this.reader.read(e.valueAt, Math.min(e.size, max));
  }

  async ascii(e: IfdEntry | undefined): Promise<string | undefined> {
    const b = await this.bytes(e, 256);
    if (b === undefined) return undefined;
    const nul = b.indexOf(0);
    const s = b.toString('latin1', 0, nul < 0 ? b.length : nul).trim();
    return s === '' ? undefined : s;
  }

  /** The entry's integer values (BYTE, SHORT, LONG, IFD types); other types give []. */
  async numbers(e: IfdEntry | undefined, max = 64): Promise<number[]> {
    if (e === undefined) return [];
    const unit =
      e.type === 3 || e.type === 8
        ? 2
        : e.type === 4 || e.type === 9 || e.type === 13
          ? 4
          : e.type === 1 || e.type === 7
            ? 1
            : 0;
    if (unit === 0) return [];
    const n = Math.min(e.count, max);
    const b = await this.reader.read(e.valueAt, n * unit);
    const out: number[] = [];
    for (let i = 0; i + unit <= b.length; i += unit)
      out.push(unit === 1 ? b[i]! : unit === 2 ? this.u16(b, i) : this.u32(b, i));
    return out;
  }

  async number(e: IfdEntry | undefined): Promise<number | undefined> {
    return (await this.numbers(e, 1))[0];
  }

  /**
   * IFD0, the IFDs chained after it and their SubIFDs (bounded), in file order of discovery:
   * where raws keep previews and sensor data.
   */
  async imageIfds(ifd0: number, limit = 16): Promise<Ifd[]> {
    const out: Ifd[] = [];
    const seen = new Set<number>();
    const queue = [ifd0];
    while (queue.length > 0 && out.length < limit) {
      const offset = queue.shift()!;
      if (seen.has(offset)) continue;
      seen.add(offset);
      const ifd = await this.ifd(offset);
      if (ifd === undefined) continue;
      out.push(ifd);
      queue.push(...(await this.numbers(ifd.entries.get(0x014a), 8)));
      if (ifd.next !== 0) queue.push(ifd.next);
    }
    return out;
  }
}
