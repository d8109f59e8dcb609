import {
  captureIdOf,
  CaptureEditStore,
  CaptureStore,
  type CaptureRecord,
  type Catalog,
} from '../catalog/index.js';
import { searchCaptures } from '../restore/index.js';
import { StackQuery } from '../ingest/stacks/index.js';
import { mainFile, parseStackId, stackOf, type TileStack } from './capture-files.js';

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
  readonly stack?: TileStack;
  /** The frame the stacker chose as the stack's best (kept on every copy). */
  readonly stackPick?: boolean;
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
}

const TIER_ORDER = ['critical', 'standard', 'bulk'];

/** A capture as a tile: its main file's name, its edits and its most important tier. */
export function tileOf(capture: CaptureRecord, edits: CaptureEditStore): Tile {
  const main = mainFile(capture);
  const edit = edits.get(capture.captureId);
  const m = capture.metadata;
  const tiers = capture.files.map((f) => f.tier);
  const tier = TIER_ORDER.find((t) => tiers.includes(t)) ?? tiers[0] ?? 'standard';
  const flag = edit?.flag ?? (m.rating === -1 ? 'reject' : undefined);
  return {
    id: capture.docId,
    name: main.relPath.slice(main.relPath.lastIndexOf('/') + 1),
    card: capture.sourceName,
    ...(m.captureTime === undefined
      ? {}
      : { time: new Date(m.captureTime).toISOString().slice(0, 19) }),
    ...(m.rating === undefined || m.rating < 0 ? {} : { rating: m.rating }),
    ...(m.label === undefined ? {} : { label: m.label }),
    ...(flag === undefined || flag === 'none' ? {} : { flag }),
    tier,
  };
}

/**
 * A page of the gallery, newest first: the search language filters (`rating>=4`,
 * `stack:burst`), and a stack's frames are folded into one tile (its first frame on the page)
 * with the stack's size. A page holds `limit` tiles.
 */
export function galleryPage(catalog: Catalog, q: GalleryQuery): GalleryPage {
  const store = new CaptureStore(catalog);
  const edits = new CaptureEditStore(catalog);
  const stacks = new StackQuery(catalog);
  const tiles: Tile[] = [];
  const shown = new Set<string>();
  let offset = q.offset;
  let total = 0;
  // Fetch in windows until the page is full: folded stacks make a page need more captures.
  for (let round = 0; round < 50 && tiles.length < q.limit; round++) {
    const window = Math.max(q.limit * 2, 50);
    const result = searchCaptures(store, q.query, { offset, limit: window, order: 'desc' });
    total = result.total;
    let i = 0;
    for (const capture of result.captures) {
      const stack = stackOf(capture, stacks);
      if (stack === undefined || !shown.has(stack.id)) {
        if (tiles.length >= q.limit) break;
        if (stack !== undefined) shown.add(stack.id);
        tiles.push({ ...tileOf(capture, edits), ...(stack === undefined ? {} : { stack }) });
      }
      i++;
    }
    offset += i;
    if (result.captures.length < window || tiles.length >= q.limit) break;
  }
  return { total, tiles, ...(offset < total ? { next: offset } : {}) };
}

/** The frames of a stack in capture order; undefined for an unknown stack. */
export function stackPage(catalog: Catalog, id: string): GalleryPage | undefined {
  const parsed = parseStackId(id);
  if (parsed === undefined) return undefined;
  const view = new StackQuery(catalog).members(parsed.jobId, parsed.no);
  const sourceId = catalog.job(parsed.jobId)?.sourceId;
  if (view === undefined || sourceId === undefined) return undefined;
  const store = new CaptureStore(catalog);
  const edits = new CaptureEditStore(catalog);
  const tiles = view.members.flatMap((m) => {
    const capture = store.get(captureIdOf(sourceId, m.captureKey));
    return capture === undefined
      ? []
      : [
          {
            ...tileOf(capture, edits),
            stack: { id, kind: view.kind, count: view.members.length },
            ...(m.pick ? { stackPick: true } : {}),
          },
        ];
  });
  return { total: tiles.length, tiles };
}
