import type { ByteReader } from './byte-reader.js';

export interface Box {
  readonly type: string;
  /** Offset of the box's first byte. */
  readonly at: number;
  /** Offset of the payload (after size, type, large size and a uuid's 16 bytes). */
  readonly body: number;
  readonly end: number;
  /** For 'uuid' boxes, the 32 hex digits. */
  readonly uuid?: string;
}

/** A box list longer than this is not a camera file's structure. */
const MAX_BOXES = 4096;

/** The boxes between `start` and `end` (ISO-BMFF / QuickTime), stopping at anything inconsistent. */
export async function boxesIn(reader: ByteReader, start: number, end: number): Promise<Box[]> {
  const out: Box[] = [];
  let at = start;
  while (at + 8 <= end && out.length < MAX_BOXES) {
    const h = await reader.read(at, 32);
    if (h.length < 8) break;
    let size = h.readUInt32BE(0);
    const type = h.toString('latin1', 4, 8);
    let body = at + 8;
    if (size === 1) {
      if (h.length < 16) break;
      size = Number(h.readBigUInt64BE(8));
      body += 8;
    } else if (size === 0) size = end - at;
    if (size < body - at || at + size > end) break;
    let uuid: string | undefined;
    if (type === 'uuid') {
      if (h.length < body - at + 16) break;
      uuid = h.toString('hex', body - at, body - at + 16);
      body += 16;
    }
    out.push({ type, at, body, end: at + size, ...(uuid === undefined ? {} : { uuid }) });
    at += size;
  }
  return out;
}

export async function childBoxes(reader: ByteReader, parent: Box, skip = 0): Promise<Box[]> {
  return boxesIn(reader, parent.body + skip, parent.end);
}

export const UUID_CANON = '85c0b687820f11e08111f4ce462b6a48';
export const UUID_CANON_PREVIEW = 'eaf42b5e1c984b88b9fbb7dc406e4d16';
