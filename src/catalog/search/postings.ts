import type { Database } from 'lmdb';
import { Bitset, CHUNK_DOCS, decodeChunk, encodeChunk } from './bitset.js';
import type { Term, TermValue } from './terms.js';

type PostingKey = [string, TermValue, number];
/** Beyond any chunk number: the exclusive end of a value's chunk range. */
const AFTER_CHUNKS = 2 ** 31;
/** Sorts after every string value (the highest code point). */
const AFTER_STRINGS = '\u{10FFFF}';

/**
 * The posting lists' changes of one transaction: chunks are read once, changed in memory and
 * written once, so a batch of documents rewrites each touched chunk a single time.
 */
export class PostingBatch {
  private readonly chunks = new Map<string, { key: PostingKey; offsets: Set<number> }>();
  private readonly counts = new Map<string, { key: Term; delta: number }>();

  constructor(
    private readonly postings: Database<Uint8Array, PostingKey>,
    private readonly values: Database<number, Term>,
  ) {}

  private chunk(term: Term, docId: number): Set<number> {
    const chunk = Math.floor(docId / CHUNK_DOCS);
    const id = `${term[0]}\u0000${typeof term[1]}\u0000${String(term[1])}\u0000${chunk}`;
    let entry = this.chunks.get(id);
    if (entry === undefined) {
      const key: PostingKey = [term[0], term[1], chunk];
      entry = { key, offsets: decodeChunk(this.postings.get(key)) };
      this.chunks.set(id, entry);
    }
    return entry.offsets;
  }

  private count(term: Term, delta: number): void {
    const id = `${term[0]}\u0000${typeof term[1]}\u0000${String(term[1])}`;
    const entry = this.counts.get(id) ?? { key: term, delta: 0 };
    entry.delta += delta;
    this.counts.set(id, entry);
  }

  add(term: Term, docId: number): void {
    this.chunk(term, docId).add(docId % CHUNK_DOCS);
    this.count(term, 1);
  }

  remove(term: Term, docId: number): void {
    this.chunk(term, docId).delete(docId % CHUNK_DOCS);
    this.count(term, -1);
  }

  /** Writes every touched chunk and count (inside the caller's transaction). */
  flush(): void {
    for (const { key, offsets } of this.chunks.values()) {
      const encoded = encodeChunk(offsets);
      if (encoded === undefined) this.postings.removeSync(key);
      else this.postings.putSync(key, encoded);
    }
    for (const { key, delta } of this.counts.values()) {
      if (delta === 0) continue;
      const n = (this.values.get(key) ?? 0) + delta;
      if (n <= 0) this.values.removeSync(key);
      else this.values.putSync(key, n);
    }
    this.chunks.clear();
    this.counts.clear();
  }
}

/** Read side of the posting lists: every query primitive returns a Bitset of document ids. */
export class PostingReader {
  constructor(
    private readonly postings: Database<Uint8Array, PostingKey>,
    private readonly values: Database<number, Term>,
  ) {}

  private orRange(
    out: Bitset,
    start: PostingKey | [string, TermValue],
    end: PostingKey | [string, TermValue],
  ): Bitset {
    for (const { key, value } of this.postings.getRange({ start, end })) out.orChunk(key[2], value);
    return out;
  }

  term(size: number, field: string, value: TermValue): Bitset {
    return this.orTerm(new Bitset(size), field, value);
  }

  /** ORs a value's documents into `out`. */
  orTerm(out: Bitset, field: string, value: TermValue): Bitset {
    return this.orRange(out, [field, value], [field, value, AFTER_CHUNKS]);
  }

  /** Numeric values between `lo` and `hi` (either open); bounds inclusive unless said. */
  range(
    size: number,
    field: string,
    lo: number | undefined,
    hi: number | undefined,
    loInclusive = true,
    hiInclusive = true,
  ): Bitset {
    const start: PostingKey | [string, TermValue] =
      lo === undefined ? [field, -Infinity] : loInclusive ? [field, lo] : [field, lo, AFTER_CHUNKS];
    const end: PostingKey | [string, TermValue] =
      hi === undefined ? [field, Infinity] : hiInclusive ? [field, hi, AFTER_CHUNKS] : [field, hi];
    return this.orRange(new Bitset(size), start, end);
  }

  prefix(size: number, field: string, prefix: string): Bitset {
    return this.orRange(new Bitset(size), [field, prefix], [field, `${prefix}${AFTER_STRINGS}`]);
  }

  /** Distinct values of a field with how many documents have each. */
  *valuesOf(field: string): Generator<{ value: TermValue; count: number }> {
    for (const { key, value } of this.values.getRange({
      start: [field, -Infinity],
      end: [field, AFTER_STRINGS],
    }))
      yield { value: key[1], count: value };
  }

  /** The documents having any value of `field` that `accept` accepts. */
  matching(size: number, field: string, accept: (value: TermValue) => boolean): Bitset {
    const out = new Bitset(size);
    for (const { value } of this.valuesOf(field)) if (accept(value)) this.orTerm(out, field, value);
    return out;
  }

  /** Chunks of one field in key order (value, then chunk): how results are ordered by day. */
  *chunksOf(
    field: string,
    reverse: boolean,
  ): Generator<{ value: TermValue; chunk: number; stored: Uint8Array }> {
    const lo: [string, TermValue] = [field, -Infinity];
    const hi: [string, TermValue] = [field, AFTER_STRINGS];
    for (const { key, value } of this.postings.getRange(
      reverse ? { start: hi, end: lo, reverse: true } : { start: lo, end: hi },
    ))
      yield { value: key[1], chunk: key[2], stored: value };
  }
}
