import { CaptureStore, type CaptureRecord, type Catalog } from '../../catalog/index.js';
import { QueryEvaluator } from './evaluate.js';
import { parseQuery } from './query-parser.js';

export interface SearchOptions {
  /** Captures returned at most (default 100; 0 for all). */
  readonly limit?: number;
  readonly offset?: number;
  /** By capture time; 'desc' for newest first. */
  readonly order?: 'asc' | 'desc';
}

export interface SearchResult {
  /** Matching captures in the whole catalog. */
  readonly total: number;
  /** The page asked for, in capture-time order. */
  readonly captures: readonly CaptureRecord[];
}

/**
 * Captures matching `query` (see the README's query language), ordered by capture time.
 * Throws a QueryError (code E_QUERY) naming the position of a problem in the query.
 */
export function searchCaptures(
  store: CaptureStore,
  query: string,
  options: SearchOptions = {},
): SearchResult {
  const set = new QueryEvaluator(store, query).evaluate(parseQuery(query));
  const total = set.count();
  const limit = options.limit ?? 100;
  const offset = options.offset ?? 0;
  const wanted = limit === 0 ? total : Math.min(total, offset + limit);
  const ids: number[] = [];
  // Days in order; within a day by exact time; undated captures ('none' sorts last) at the end.
  const columns = store.columns();
  let dayIds: number[] = [];
  let currentDay: unknown;
  const flush = (): void => {
    const times = columns.read(
      'time',
      [...dayIds].sort((a, b) => a - b),
    );
    dayIds.sort(
      (a, b) =>
        ((times.get(a) ?? 0) - (times.get(b) ?? 0)) * (options.order === 'desc' ? -1 : 1) || a - b,
    );
    ids.push(...dayIds);
    dayIds = [];
  };
  for (const { value, chunk, stored } of store.read.chunksOf('day', options.order === 'desc')) {
    if (value !== currentDay) {
      flush();
      if (ids.length >= wanted) break;
      currentDay = value;
    }
    dayIds.push(...set.intersectChunk(chunk, stored));
  }
  flush();
  const page = ids.slice(offset, wanted);
  return {
    total,
    captures: page
      .map((id) => store.byDocId(id))
      .filter((c): c is CaptureRecord => c !== undefined),
  };
}

/** searchCaptures over a catalog's capture store. */
export function search(catalog: Catalog, query: string, options: SearchOptions = {}): SearchResult {
  return searchCaptures(new CaptureStore(catalog), query, options);
}
