import { FieldBackupError } from '../../core/index.js';

/** A device broke the protocol: a clear error naming what was wrong, never a crash. */
export function protocolError(message: string, field?: string): FieldBackupError {
  return new FieldBackupError('E_PROTOCOL', `camera sent malformed data: ${message}`, {
    ...(field === undefined ? {} : { subject: { field } }),
  });
}

/** Array counts above this are refused before anything is allocated. */
const MAX_ARRAY = 1 << 20;

/**
 * A bounded little-endian reader over a dataset. Every read checks the remaining length, so a
 * hostile length or count ends in a protocol error naming the field, never in an out-of-range
 * read or a huge allocation.
 */
export class DataReader {
  private at: number;
  private readonly view: DataView;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly what: string,
    offset = 0,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.at = offset;
  }

  get offset(): number {
    return this.at;
  }

  get remaining(): number {
    return this.bytes.byteLength - this.at;
  }

  private need(n: number, field: string): number {
    if (n > this.remaining) {
      throw protocolError(
        `${this.what} ends inside ${field} (needs ${n} bytes at offset ${this.at}, has ${this.remaining})`,
        field,
      );
    }
    const at = this.at;
    this.at += n;
    return at;
  }

  u8(field: string): number {
    return this.view.getUint8(this.need(1, field));
  }

  u16(field: string): number {
    return this.view.getUint16(this.need(2, field), true);
  }

  u32(field: string): number {
    return this.view.getUint32(this.need(4, field), true);
  }

  /** A u64 as a Number; values above 2^53 are refused (no storage or file is that large). */
  u64(field: string): number {
    const at = this.need(8, field);
    const value = this.view.getBigUint64(at, true);
    if (value > BigInt(Number.MAX_SAFE_INTEGER))
      throw protocolError(`${field} is too large`, field);
    return Number(value);
  }

  skip(n: number, field: string): void {
    this.need(n, field);
  }

  bytesOf(n: number, field: string): Uint8Array {
    const at = this.need(n, field);
    return this.bytes.subarray(at, at + n);
  }

  /** PTP array: u32 count, then the elements. */
  array(field: string, element: (r: DataReader) => number, size: number): number[] {
    const count = this.u32(`${field} count`);
    if (count > MAX_ARRAY || count * size > this.remaining) {
      throw protocolError(
        `${this.what}: ${field} claims ${count} elements but only ${this.remaining} bytes follow`,
        field,
      );
    }
    const out: number[] = [];
    for (let i = 0; i < count; i++) out.push(element(this));
    return out;
  }

  u16Array(field: string): number[] {
    return this.array(field, (r) => r.u16(field), 2);
  }

  u32Array(field: string): number[] {
    return this.array(field, (r) => r.u32(field), 4);
  }

  /**
   * PTP string: one byte NumChars (counting the terminating NUL), then UCS-2LE code units.
   * Lone surrogates and embedded NULs are kept as they are; callers that build paths check them.
   */
  string(field: string): string {
    const chars = this.u8(`${field} length`);
    if (chars === 0) return '';
    const at = this.need(chars * 2, field);
    const units: number[] = [];
    for (let i = 0; i < chars; i++) units.push(this.view.getUint16(at + i * 2, true));
    if (units[units.length - 1] !== 0) {
      throw protocolError(`${this.what}: ${field} is not NUL-terminated`, field);
    }
    units.pop();
    return String.fromCharCode(...units);
  }

  /** UCS-2LE up to and including a NUL (PTP/IP names): no length byte. */
  nulTerminatedUtf16(field: string, maxChars = 256): string {
    const units: number[] = [];
    for (let i = 0; i <= maxChars; i++) {
      const unit = this.u16(field);
      if (unit === 0) return String.fromCharCode(...units);
      units.push(unit);
    }
    throw protocolError(`${this.what}: ${field} is longer than ${maxChars} characters`, field);
  }
}

/** Little-endian writer for the few things the client sends. */
export class DataWriter {
  private readonly parts: number[] = [];

  u8(v: number): this {
    this.parts.push(v & 0xff);
    return this;
  }

  u16(v: number): this {
    return this.u8(v).u8(v >>> 8);
  }

  u32(v: number): this {
    return this.u16(v & 0xffff).u16(v >>> 16);
  }

  u64(v: number): this {
    return this.u32(v % 2 ** 32).u32(Math.floor(v / 2 ** 32));
  }

  bytes(b: Uint8Array): this {
    for (const x of b) this.parts.push(x);
    return this;
  }

  /** UCS-2LE with a terminating NUL and no length byte (PTP/IP friendly names). */
  nulTerminatedUtf16(s: string): this {
    for (let i = 0; i < s.length; i++) this.u16(s.charCodeAt(i));
    return this.u16(0);
  }

  toBuffer(): Buffer {
    return Buffer.from(this.parts);
  }
}
