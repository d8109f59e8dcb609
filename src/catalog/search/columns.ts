import type { Database } from 'lmdb';

/** Documents per column chunk: small, so updating one document rewrites 4 KiB. */
export const COLUMN_DOCS = 512;
export type ColumnName = 'time' | 'lat' | 'lon';
type ColumnKey = [ColumnName, number];

/**
 * Dense per-document numbers (capture time, latitude, longitude) for the refinements that
 * posting lists cannot do exactly: time of day within a day, distance within a grid cell.
 */
export class Columns {
  private readonly pending = new Map<string, { key: ColumnKey; values: Float64Array }>();

  constructor(private readonly db: Database<Uint8Array, ColumnKey>) {}

  private load(key: ColumnKey): Float64Array {
    const stored = this.db.get(key);
    const values = new Float64Array(COLUMN_DOCS).fill(NaN);
    if (stored !== undefined) values.set(new Float64Array(stored.buffer.slice(stored.byteOffset, stored.byteOffset + stored.byteLength)));
    return values;
  }

  /** Sets a value in the transaction's buffer (NaN for "none"). */
  set(name: ColumnName, docId: number, value: number | undefined): void {
    const key: ColumnKey = [name, Math.floor(docId / COLUMN_DOCS)];
    const id = `${name}:${key[1]}`;
    let entry = this.pending.get(id);
    if (entry === undefined) {
      entry = { key, values: this.load(key) };
      this.pending.set(id, entry);
    }
    entry.values[docId % COLUMN_DOCS] = value ?? NaN;
  }

  flush(): void {
    for (const { key, values } of this.pending.values()) this.db.putSync(key, Buffer.from(values.buffer));
    this.pending.clear();
  }

  /**
   * Calls `fn(id, a, b)` for ascending ids with the values of two columns, reading each chunk
   * of each column once (the refinement loop of near: and time-of-day queries).
   */
  forEachPair(a: ColumnName, b: ColumnName, ids: Iterable<number>, fn: (id: number, va: number, vb: number) => void): void {
    let chunk = -1;
    let ca: Float64Array | undefined;
    let cb: Float64Array | undefined;
    for (const id of ids) {
      const c = Math.floor(id / COLUMN_DOCS);
      if (c !== chunk) {
        chunk = c;
        ca = this.load([a, c]);
        cb = this.load([b, c]);
      }
      fn(id, ca![id % COLUMN_DOCS]!, cb![id % COLUMN_DOCS]!);
    }
  }

  /** Values of `name` for ascending ids, reading each chunk once. */
  read(name: ColumnName, ids: Iterable<number>): Map<number, number> {
    const out = new Map<number, number>();
    let chunk = -1;
    let values: Float64Array | undefined;
    for (const id of ids) {
      const c = Math.floor(id / COLUMN_DOCS);
      if (c !== chunk) {
        chunk = c;
        values = this.load([name, c]);
      }
      out.set(id, values![id % COLUMN_DOCS]!);
    }
    return out;
  }
}
