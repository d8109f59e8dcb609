import type {
  ContentHash,
  GeoPoint,
  MediaMetadata,
  MetadataStatus,
  SourceId,
  TierName,
} from '../../core/index.js';

/** One file of a capture as the search index shows it. */
export interface DocFile {
  readonly relPath: string;
  readonly hash: ContentHash;
  readonly size: number;
  /** The detector's format ("NEF", "XMP") or "unknown". */
  readonly format: string;
  readonly kind: string;
  readonly tier: TierName;
  /** Absent while the file waits for indexing. */
  readonly status?: MetadataStatus;
  readonly reason?: string;
}

/** A capture as indexed: its files, its merged metadata and facets other subsystems set (stacks). */
export interface SearchDoc {
  readonly captureId: CaptureId;
  readonly sourceId: SourceId;
  readonly sourceName: string;
  readonly captureKey: string;
  readonly files: readonly DocFile[];
  readonly metadata: MediaMetadata;
  readonly facets: Readonly<Record<string, readonly string[]>>;
}

/** `${sourceId}/${captureKey}`: a card's files with the same folder and stem. */
export type CaptureId = string & { readonly __capture: true };

export function captureIdOf(sourceId: SourceId, captureKey: string): CaptureId {
  return `${sourceId}/${captureKey}` as CaptureId;
}

export type TermValue = string | number;
/** A posting list's key without its chunk: [field, value]. */
export type Term = [string, TermValue];

/** LMDB keys are at most ~2 KB; a longer keyword is indexed by its first 200 characters. */
export const MAX_VALUE_LENGTH = 200;

/** Case-, accent- and width-insensitive form of a value, as indexed and as queried. */
export function fold(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, MAX_VALUE_LENGTH);
}

/** Words of a text for free-text search (letters and digits of any script). */
export function tokens(s: string): string[] {
  return fold(s.slice(0, 4096))
    .split(/[^\p{L}\p{N}]+/u)
    .filter((t) => t.length > 0)
    .map((t) => t.slice(0, 64));
}

/** Serial numbers compare without leading zeros (ExifTool prints some padded: 0560018150). */
export function serialKey(serial: string): string {
  return serial.trim().replace(/^0+(?=\d)/, '');
}

/** Whole days since 1970-01-01 of a wall-clock time. */
export function dayOf(wallClockMs: number): number {
  return Math.floor(wallClockMs / 86_400_000);
}

/** Grid cells a point falls in, at 1° and 0.1°: what near: queries start from. */
export function geoCells(p: GeoPoint): Term[] {
  return [
    ['g1', `${Math.floor(p.lat)},${Math.floor(p.lon)}`],
    ['g10', `${Math.floor(p.lat * 10)},${Math.floor(p.lon * 10)}`],
  ];
}

const NUMERIC: readonly [string, keyof MediaMetadata][] = [
  ['rating', 'rating'],
  ['iso', 'iso'],
  ['aperture', 'fNumber'],
  ['shutter', 'exposureTime'],
  ['focal', 'focalLength'],
  ['ev', 'exposureCompensation'],
  ['seq', 'sequenceNumber'],
  ['bracket', 'bracketValue'],
  ['orientation', 'orientation'],
];

/** Every posting list a document belongs to. */
export function docTerms(doc: SearchDoc): Term[] {
  const m = doc.metadata;
  const out = new Map<string, Term>();
  const add = (field: string, value: TermValue | undefined): void => {
    if (
      value === undefined ||
      value === '' ||
      (typeof value === 'number' && !Number.isFinite(value))
    )
      return;
    const v = typeof value === 'string' ? fold(value) : value;
    if (v !== '') out.set(`${field}\u0000${String(v)}\u0000${typeof v}`, [field, v]);
  };
  for (const [field, key] of NUMERIC) add(field, m[key] as number | undefined);
  add('day', m.captureTime === undefined ? 'none' : dayOf(m.captureTime));
  add('make', m.make);
  add('camera', m.model);
  if (m.make !== undefined && m.model !== undefined) add('camera', `${m.make} ${m.model}`);
  add('lens', m.lens);
  add('serial', m.serial === undefined ? undefined : serialKey(m.serial));
  add('label', m.label);
  add('drive', m.driveMode);
  add('copyright', m.copyright);
  add('usage', m.usageTerms);
  for (const k of m.keywords ?? []) add('keyword', k);
  for (const c of m.creators ?? []) add('creator', c);
  if (m.gps !== undefined) for (const [f, v] of geoCells(m.gps)) add(f, v);
  add('gps', m.gps === undefined ? 'no' : 'yes');
  add('source', doc.sourceId);
  add('card', doc.sourceName);
  for (const f of doc.files) {
    add('format', f.format.toUpperCase());
    add('kind', f.kind);
    add('tier', f.tier);
    add('meta', f.status ?? 'pending');
  }
  for (const [field, values] of Object.entries(doc.facets)) for (const v of values) add(field, v);
  const text = [
    m.title,
    m.caption,
    ...(m.keywords ?? []),
    ...(m.creators ?? []),
    ...doc.files.map((f) => f.relPath.slice(f.relPath.lastIndexOf('/') + 1)),
  ];
  for (const t of text) {
    if (t === undefined) continue;
    const words = tokens(t);
    words.forEach((w, i) => {
      add('text', w);
      // Adjacent pairs make "quoted phrases" a lookup, not a scan.
      if (i > 0) add('text2', `${words[i - 1]} ${w}`);
    });
  }
  return [...out.values()];
}
