/**
 * The simulated camera's own little-endian encoder for PTP datasets: written apart from the
 * client's parsers in src/tether (and checked against the real gphoto2), so the two are not
 * the same mistake twice.
 */
export class Wire {
  private readonly chunks: Buffer[] = [];

  u8(v: number): this {
    const b = Buffer.alloc(1);
    b.writeUInt8(v & 0xff);
    return this.push(b);
  }

  u16(v: number): this {
    const b = Buffer.alloc(2);
    b.writeUInt16LE(v & 0xffff);
    return this.push(b);
  }

  u32(v: number): this {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(v >>> 0);
    return this.push(b);
  }

  u64(v: number): this {
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(BigInt(v));
    return this.push(b);
  }

  /** PTP string: count of UCS-2 units including the NUL, then the units; "" is a single 0. */
  str(s: string): this {
    if (s.length === 0) return this.u8(0);
    const units = [...s].flatMap((c) => {
      const cp = c.codePointAt(0) ?? 0;
      return cp > 0xffff
        ? [0xd800 + ((cp - 0x10000) >> 10), 0xdc00 + ((cp - 0x10000) & 0x3ff)]
        : [cp];
    });
    this.u8(Math.min(255, units.length + 1));
    for (const u of units.slice(0, 254)) this.u16(u);
    return this.u16(0);
  }

  /** A raw string the way a broken or hostile camera might send it (no checks at all). */
  rawUnits(count: number, units: readonly number[]): this {
    this.u8(count);
    for (const u of units) this.u16(u);
    return this;
  }

  a16(values: readonly number[]): this {
    this.u32(values.length);
    for (const v of values) this.u16(v);
    return this;
  }

  a32(values: readonly number[]): this {
    this.u32(values.length);
    for (const v of values) this.u32(v);
    return this;
  }

  /** Sony enumeration form: u16 count, then the u16 values. */
  enum16(values: readonly number[]): this {
    this.u16(values.length);
    for (const v of values) this.u16(v);
    return this;
  }

  utf16z(s: string): this {
    for (let i = 0; i < s.length; i++) this.u16(s.charCodeAt(i));
    return this.u16(0);
  }

  bytes(b: Uint8Array): this {
    return this.push(Buffer.from(b));
  }

  buffer(): Buffer {
    return Buffer.concat(this.chunks);
  }

  private push(b: Buffer): this {
    this.chunks.push(b);
    return this;
  }
}

/** "YYYYMMDDThhmmss" in local time, as cameras write DateTime strings. */
export function ptpDate(ms: number): string {
  const d = new Date(ms);
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  return `${p(d.getFullYear(), 4)}${p(d.getMonth() + 1)}${p(d.getDate())}T${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
}
