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

  private load(key: ColumnKey, values = new Float64Array(COLUMN_DOCS)): Float64Array {
    const stored = this.db.getBinaryFast(key);
    if (stored === undefined) values.fill(NaN);
    // One copy out of LMDB's reused buffer (its offset need not be 8-byte aligned).
    else new Uint8Array(values.buffer).set(stored.subarray(0, COLUMN_DOCS * 8));
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
    for (const { key, values } of this.pending.values())
      this.db.putSync(key, Buffer.from(values.buffer));
    this.pending.clear();
  }

  /**
   * Calls `fn(id, values)` for ascending ids with their values in each of `names`, reading each
   * chunk of each column once (the refinement loops of near: and time-of-day queries).
   */
  forEach(
    names: readonly ColumnName[],
    ids: Iterable<number>,
    fn: (id: number, values: readonly number[]) => void,
  ): void {
    let chunk = -1;
    const columns = names.map(() => new Float64Array(COLUMN_DOCS));
    const row = names.map(() => NaN);
    for (const id of ids) {
      const c = Math.floor(id / COLUMN_DOCS);
      if (c !== chunk) {
        chunk = c;
        names.forEach((name, i) => this.load([name, c], columns[i]));
      }
      for (let i = 0; i < columns.length; i++) row[i] = columns[i]![id % COLUMN_DOCS]!;
      fn(id, row);
    }
  }

  /** Values of `name` for ascending ids. */
  read(name: ColumnName, ids: Iterable<number>): Map<number, number> {
    const out = new Map<number, number>();
    this.forEach([name], ids, (id, [v]) => out.set(id, v!));
    return out;
  }
}
