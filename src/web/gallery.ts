import { CaptureEditStore, CaptureStore, type CaptureRecord, type Catalog } from '../catalog/index.js';
import { searchCaptures } from '../restore/index.js';
import { mainFile, stackOf } from './capture-files.js';

/** One tile of the gallery: a capture, or a stack folded into its first frame. */
export interface Tile {
  /** The capture's document id: what every URL uses (never a path). */
  readonly id: number;
  readonly name: string;
  readonly card: string;
  /** Wall-clock capture time as the camera showed it, ISO without a zone. */
  readonly time?: string;
  readonly rating?: number;
  readonly label?: string;
  readonly flag?: string;
  readonly tier: string;
  readonly stack?: { readonly id: string; readonly kind: string; readonly count: number };
}

export interface GalleryPage {
  /** Captures matching the query (stacked frames counted one by one). */
  readonly total: number;
  readonly tiles: readonly Tile[];
  /** Where the next page starts, in captures; absent at the end. */
  readonly next?: number;
}

export interface GalleryQuery {
  readonly query: string;
  readonly offset: number;
  readonly limit: number;
  /** Fold a stack's frames into one tile (off inside an opened stack). */
  readonly fold: boolean;
}

const TIER_ORDER = ['critical', 'standard', 'bulk'];

/** A capture as a tile: its main file's name, its edits and its most important tier. */
export function tileOf(capture: CaptureRecord, edits: CaptureEditStore): Tile {
  const main = mainFile(capture);
  const edit = edits.get(capture.captureId);
  const m = capture.metadata;
  const tiers = capture.files.map((f) => f.tier as string);
  const tier = TIER_ORDER.find((t) => tiers.includes(t)) ?? tiers[0] ?? 'standard';
  const flag = edit?.flag ?? (m.rating === -1 ? 'reject' : undefined);
  return {
    id: capture.docId,
    name: main.relPath.slice(main.relPath.lastIndexOf('/') + 1),
    card: capture.sourceName,
    ...(m.captureTime === undefined ? {} : { time: new Date(m.captureTime).toISOString().slice(0, 19) }),
    ...(m.rating === undefined || m.rating < 0 ? {} : { rating: m.rating }),
    ...(m.label === undefined ? {} : { label: m.label }),
    ...(flag === undefined || flag === 'none' ? {} : { flag }),
    tier,
  };
}

/**
 * A page of the gallery, newest first: the search language filters (`rating>=4`,
 * `stack:burst`), and a stack's frames are folded into one tile with their count. A page holds
 * `limit` tiles; a stack is never split across pages.
 */
export function galleryPage(catalog: Catalog, q: GalleryQuery): GalleryPage {
  const store = new CaptureStore(catalog);
  const edits = new CaptureEditStore(catalog);
  const tiles: Tile[] = [];
  const stackTile = new Map<string, number>();
  let offset = q.offset;
  let total = 0;
  // Fetch in windows until the page is full: folded stacks make a page need more captures.
  for (let round = 0; round < 50 && tiles.length < q.limit; round++) {
    const window = Math.max(q.limit * 2, 50);
    const result = searchCaptures(store, q.query, { offset, limit: window, order: 'desc' });
    total = result.total;
    for (const capture of result.captures) {
      const stack = q.fold ? stackOf(capture) : undefined;
      const at = stack === undefined ? undefined : stackTile.get(stack.id);
      if (stack !== undefined && at !== undefined) {
        const tile = tiles[at]!;
        tiles[at] = { ...tile, stack: { ...stack, count: (tile.stack?.count ?? 1) + 1 } };
      } else {
        if (tiles.length >= q.limit) break;
        if (stack !== undefined) stackTile.set(stack.id, tiles.length);
        tiles.push({ ...tileOf(capture, edits), ...(stack === undefined ? {} : { stack: { ...stack, count: 1 } }) });
      }
      offset++;
    }
    if (result.captures.length < window) break;
  }
  return { total, tiles, ...(offset < total ? { next: offset } : {}) };
}
