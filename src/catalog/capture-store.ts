import type { Database } from 'lmdb';
import type { Catalog } from './catalog.js';
import type { Bitset } from './search/bitset.js';
import { Columns } from './search/columns.js';
import { PostingBatch, PostingReader } from './search/postings.js';
import { docTerms, type CaptureId, type SearchDoc, type Term } from './search/terms.js';

/** A capture as stored: the indexed document plus the posting lists it is in (to update them). */
export interface CaptureRecord extends SearchDoc {
  readonly docId: number;
  readonly terms: readonly Term[];
  readonly updatedAt: number;
}

/** Every document is in this posting list: the universe for NOT and for the empty query. */
const ALL: Term = ['doc', 'all'];
const termId = (t: Term): string => `${t[0]}\u0000${typeof t[1]}\u0000${String(t[1])}`;

/**
 * Captures (a card's files with the same folder and stem: RAW + JPEG + XMP + WAV) as
 * first-class records, each one a document of the search index: posting lists per field value
 * (chunked bitmaps), distinct values with counts, and dense columns for exact refinement.
 * Other subsystems attach facets to a capture (issue 5's stacks: `setFacet(id, 'stack', …)`)
 * and they become searchable fields.
 */
export class CaptureStore {
  private readonly ids: Database<number, CaptureId>;
  private readonly docs: Database<CaptureRecord, number>;
  private readonly postings: Database<Uint8Array, [string, string | number, number]>;
  private readonly values: Database<number, Term>;
  private readonly columnDb: Database<Uint8Array, ['time' | 'lat' | 'lon', number]>;
  readonly read: PostingReader;

  constructor(private readonly catalog: Catalog) {
    this.ids = catalog.openDb('captures');
    // LZ4 in lmdb: capture documents shrink about threefold, at a cost far below a page read.
    this.docs = catalog.openDb('capture-docs', { compression: true });
    this.postings = catalog.openDb('capture-postings', { encoding: 'binary' });
    this.values = catalog.openDb('capture-values');
    this.columnDb = catalog.openDb('capture-columns', { encoding: 'binary' });
    this.read = new PostingReader(this.postings, this.values);
  }

  /** One more than the highest document id: the size of every result set. */
  get size(): number {
    for (const key of this.docs.getKeys({ reverse: true, limit: 1 })) return key + 1;
    return 0;
  }

  get(id: CaptureId): CaptureRecord | undefined {
    const docId = this.ids.get(id);
    return docId === undefined ? undefined : this.docs.get(docId);
  }

  byDocId(docId: number): CaptureRecord | undefined {
    return this.docs.get(docId);
  }

  count(): number {
    return this.values.get(ALL) ?? 0;
  }

  all(): Bitset {
    return this.read.term(this.size, ALL[0], ALL[1]);
  }

  columns(): Columns {
    return new Columns(this.columnDb);
  }

  /**
   * Indexes captures (new or changed) in one transaction: each document's posting lists are
   * diffed against what it was in, facets set earlier are kept.
   */
  async put(docs: readonly SearchDoc[], now: number): Promise<void> {
    if (docs.length === 0) return;
    await this.catalog.transaction(() => this.putSync(docs, now));
  }

  /** `put` inside the caller's transaction (the indexer commits metadata and captures together). */
  putSync(docs: readonly SearchDoc[], now: number): void {
    const batch = new PostingBatch(this.postings, this.values);
    const columns = new Columns(this.columnDb);
    let next = this.size;
    for (const doc of docs) {
      const existingId = this.ids.get(doc.captureId);
      const previous = existingId === undefined ? undefined : this.docs.get(existingId);
      const docId = existingId ?? next++;
      const facets = { ...(previous?.facets ?? {}), ...doc.facets };
      const { history: _h, develop: _d, ...metadata } = doc.metadata;
      const indexed: SearchDoc = { ...doc, facets, metadata };
      const terms = [ALL, ...docTerms(indexed)];
      const before = new Map((previous?.terms ?? []).map((t) => [termId(t), t]));
      const after = new Map(terms.map((t) => [termId(t), t]));
      for (const [id, t] of before) if (!after.has(id)) batch.remove(t, docId);
      for (const [id, t] of after) if (!before.has(id)) batch.add(t, docId);
      columns.set('time', docId, metadata.captureTime);
      columns.set('lat', docId, metadata.gps?.lat);
      columns.set('lon', docId, metadata.gps?.lon);
      this.docs.putSync(docId, { ...indexed, docId, terms, updatedAt: now });
      this.ids.putSync(doc.captureId, docId);
    }
    batch.flush();
    columns.flush();
  }

  /**
   * Sets a facet of a capture (e.g. 'stack' → ['burst', 'stack:…']) and reindexes it: the
   * hook through which other subsystems make their results searchable.
   */
  async setFacet(
    id: CaptureId,
    field: string,
    values: readonly string[],
    now: number,
  ): Promise<boolean> {
    return (await this.setFacets(field, new Map([[id, values]]), now)) === 1;
  }

  /**
   * Sets one facet of several captures in one transaction; returns how many are known. Each
   * document is read inside the transaction, so a change committed meanwhile (an edit on the
   * web page) is never written over.
   */
  async setFacets(
    field: string,
    values: ReadonlyMap<CaptureId, readonly string[]>,
    now: number,
  ): Promise<number> {
    return this.catalog.transaction(() => {
      const docs: SearchDoc[] = [];
      for (const [id, v] of values) {
        const record = this.get(id);
        if (record === undefined) continue;
        const { docId: _d, terms: _t, updatedAt: _u, ...doc } = record;
        docs.push({ ...doc, facets: { ...record.facets, [field]: v } });
      }
      if (docs.length > 0) this.putSync(docs, now);
      return docs.length;
    });
  }
}
