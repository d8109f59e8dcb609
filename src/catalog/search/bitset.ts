/**
 * Posting lists are split in chunks of CHUNK_DOCS documents; a chunk is stored as a sorted
 * array of 16-bit offsets while small, as a bitmap once that is smaller (the roaring-bitmap
 * idea). Either form is at most 512 bytes, so updating one document rewrites little.
 */
export const CHUNK_DOCS = 4096;
const BITMAP_BYTES = CHUNK_DOCS / 8;
const ARRAY_MAX = BITMAP_BYTES / 2;
const ARRAY = 0;
const BITMAP = 1;

/** A set of document ids as one bit each, over the whole catalog: the result of a query. */
export class Bitset {
  readonly words: Uint32Array;

  constructor(readonly size: number) {
    this.words = new Uint32Array(Math.ceil(size / 32));
  }

  static full(size: number): Bitset {
    const b = new Bitset(size);
    b.words.fill(0xffffffff);
    const extra = b.words.length * 32 - size;
    if (extra > 0) b.words[b.words.length - 1] = 0xffffffff >>> extra;
    return b;
  }

  has(id: number): boolean {
    return id < this.size && ((this.words[id >>> 5]! >>> (id & 31)) & 1) === 1;
  }

  add(id: number): void {
    if (id < this.size) this.words[id >>> 5]! |= 1 << (id & 31);
  }

  and(other: Bitset): this {
    for (let i = 0; i < this.words.length; i++) this.words[i]! &= other.words[i] ?? 0;
    return this;
  }

  or(other: Bitset): this {
    for (let i = 0; i < this.words.length; i++) this.words[i]! |= other.words[i] ?? 0;
    return this;
  }

  /** Removes every id of `other`. */
  andNot(other: Bitset): this {
    for (let i = 0; i < this.words.length; i++) this.words[i]! &= ~(other.words[i] ?? 0);
    return this;
  }

  count(): number {
    let n = 0;
    for (let w of this.words) {
      w -= (w >>> 1) & 0x55555555;
      w = (w & 0x33333333) + ((w >>> 2) & 0x33333333);
      n += (((w + (w >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
    }
    return n;
  }

  /** Ids in ascending order. */
  *ids(): Generator<number> {
    for (let i = 0; i < this.words.length; i++) {
      let w = this.words[i]!;
      while (w !== 0) {
        const bit = 31 - Math.clz32(w & -w);
        yield i * 32 + bit;
        w &= w - 1;
      }
    }
  }

  /** ORs a stored chunk into the set. */
  orChunk(chunk: number, stored: Uint8Array): void {
    const base = chunk * CHUNK_DOCS;
    if (stored[0] === BITMAP) {
      const firstWord = base >>> 5;
      for (let i = 0; i < BITMAP_BYTES / 4 && firstWord + i < this.words.length; i++) {
        const at = 1 + i * 4;
        this.words[firstWord + i]! |=
          (stored[at]! |
            (stored[at + 1]! << 8) |
            (stored[at + 2]! << 16) |
            (stored[at + 3]! << 24)) >>>
          0;
      }
      return;
    }
    for (let at = 1; at + 1 < stored.length; at += 2)
      this.add(base + (stored[at]! | (stored[at + 1]! << 8)));
  }

  /** The ids both in this set and in a stored chunk, ascending. */
  intersectChunk(chunk: number, stored: Uint8Array): number[] {
    const base = chunk * CHUNK_DOCS;
    const out: number[] = [];
    if (stored[0] !== BITMAP) {
      for (let at = 1; at + 1 < stored.length; at += 2) {
        const id = base + (stored[at]! | (stored[at + 1]! << 8));
        if (this.has(id)) out.push(id);
      }
      return out;
    }
    const firstWord = base >>> 5;
    for (let i = 0; i < BITMAP_BYTES / 4 && firstWord + i < this.words.length; i++) {
      const at = 1 + i * 4;
      let w =
        ((stored[at]! |
          (stored[at + 1]! << 8) |
          (stored[at + 2]! << 16) |
          (stored[at + 3]! << 24)) &
          this.words[firstWord + i]!) >>>
        0;
      while (w !== 0) {
        out.push((firstWord + i) * 32 + (31 - Math.clz32(w & -w)));
        w = (w & (w - 1)) >>> 0;
      }
    }
    return out;
  }

  /** Removes one id. */
  delete(id: number): void {
    if (id < this.size) this.words[id >>> 5]! &= ~(1 << (id & 31));
  }
}

/** The offsets (0–4095) a stored chunk holds. */
export function decodeChunk(stored: Uint8Array | undefined): Set<number> {
  const out = new Set<number>();
  if (stored === undefined || stored.length === 0) return out;
  if (stored[0] === BITMAP) {
    for (let i = 0; i < BITMAP_BYTES; i++) {
      const byte = stored[1 + i]!;
      for (let b = 0; b < 8; b++) if ((byte >>> b) & 1) out.add(i * 8 + b);
    }
    return out;
  }
  for (let at = 1; at + 1 < stored.length; at += 2) out.add(stored[at]! | (stored[at + 1]! << 8));
  return out;
}

/** The smaller of the two encodings; undefined for an empty chunk (the key is deleted). */
export function encodeChunk(offsets: ReadonlySet<number>): Buffer | undefined {
  if (offsets.size === 0) return undefined;
  if (offsets.size <= ARRAY_MAX) {
    const sorted = [...offsets].sort((a, b) => a - b);
    const out = Buffer.alloc(1 + sorted.length * 2);
    out[0] = ARRAY;
    sorted.forEach((o, i) => out.writeUInt16LE(o, 1 + i * 2));
    return out;
  }
  const out = Buffer.alloc(1 + BITMAP_BYTES);
  out[0] = BITMAP;
  for (const o of offsets) out[1 + (o >>> 3)]! |= 1 << (o & 7);
  return out;
}
