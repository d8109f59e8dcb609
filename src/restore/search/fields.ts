/**
 * The query language's fields: how each is matched and which posting list it reads. Aliases
 * are what photographers also type. Facets written by other subsystems (issue 5's `stack`)
 * are exact fields; any facet present in the index is searchable by its name.
 */
/**
 * number: comparisons and ranges; exact: the whole value; contains: a substring of the value
 * (lens:600mm finds "RF600mm F4"); words: whole words in order (keyword:lion is not
 * "dandelion"); camera: words, or the model without spaces (camera:Z9).
 */
export type FieldKind =
  'number' | 'exact' | 'contains' | 'words' | 'camera' | 'date' | 'near' | 'format' | 'text';

export interface FieldSpec {
  readonly kind: FieldKind;
  /** The posting list's field name. */
  readonly index: string;
  readonly unit?: 'mm' | 's' | 'f';
  readonly help: string;
}

export const FIELDS: Readonly<Record<string, FieldSpec>> = {
  rating: { kind: 'number', index: 'rating', help: 'rating>=4, rating:3..5, rating:rejected' },
  label: { kind: 'exact', index: 'label', help: 'label:red' },
  keyword: { kind: 'words', index: 'keyword', help: 'keyword:eagle, keyword:"Masai Mara"' },
  camera: { kind: 'camera', index: 'camera', help: 'camera:"NIKON Z 9", camera:Z9' },
  make: { kind: 'contains', index: 'make', help: 'make:canon' },
  lens: { kind: 'contains', index: 'lens', help: 'lens:600mm' },
  serial: { kind: 'exact', index: 'serial', help: 'serial:3041700' },
  creator: { kind: 'contains', index: 'creator', help: 'creator:kamau' },
  copyright: { kind: 'contains', index: 'copyright', help: 'copyright:kamau' },
  usage: { kind: 'contains', index: 'usage', help: 'usage:editorial (IPTC usage terms)' },
  card: { kind: 'contains', index: 'card', help: 'card:EOS_R5_07 (the card or folder name)' },
  source: { kind: 'exact', index: 'source', help: 'source:<source id>' },
  date: {
    kind: 'date',
    index: 'day',
    help: 'date:2026-11-20..2026-11-23, date>=2026-11, date:none',
  },
  iso: { kind: 'number', index: 'iso', help: 'iso>=3200' },
  aperture: { kind: 'number', index: 'aperture', unit: 'f', help: 'aperture<=4, aperture:f/2.8' },
  shutter: { kind: 'number', index: 'shutter', unit: 's', help: 'shutter<=1/1000, shutter>=1s' },
  focal: { kind: 'number', index: 'focal', unit: 'mm', help: 'focal>=400mm' },
  ev: { kind: 'number', index: 'ev', help: 'ev:-1/3, ev<0' },
  seq: { kind: 'number', index: 'seq', help: 'seq:1 (shot number within a burst)' },
  bracket: { kind: 'number', index: 'bracket', help: 'bracket:2/3 (AEB step, EV)' },
  orientation: { kind: 'number', index: 'orientation', help: 'orientation:6 (EXIF 1–8)' },
  near: { kind: 'near', index: 'g10', help: 'near:-1.29,36.82,25km' },
  gps: { kind: 'exact', index: 'gps', help: 'gps:yes, gps:no' },
  tier: { kind: 'exact', index: 'tier', help: 'tier:critical' },
  stack: {
    kind: 'exact',
    index: 'stack',
    help: 'stack:burst (stacks come from similarity grouping)',
  },
  format: { kind: 'format', index: 'format', help: 'format:NEF, format:MTS' },
  kind: { kind: 'exact', index: 'kind', help: 'kind:raw, kind:video, kind:sidecar' },
  meta: { kind: 'exact', index: 'meta', help: 'meta:unreadable, meta:partial' },
  drive: { kind: 'exact', index: 'drive', help: 'drive:continuous, drive:bracketing' },
  text: { kind: 'text', index: 'text', help: 'text:eagle (same as a bare word)' },
};

export const ALIASES: Readonly<Record<string, string>> = {
  color: 'label',
  colour: 'label',
  kw: 'keyword',
  keywords: 'keyword',
  tag: 'keyword',
  model: 'camera',
  by: 'creator',
  author: 'creator',
  artist: 'creator',
  taken: 'date',
  f: 'aperture',
  fnumber: 'aperture',
  exposure: 'shutter',
  metadata: 'meta',
  type: 'kind',
  title: 'text',
  caption: 'text',
};
