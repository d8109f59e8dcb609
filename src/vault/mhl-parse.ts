import { XMLParser } from 'fast-xml-parser';

/** One file as a generation lists it (the xxh128 when it has one; other formats are kept apart). */
export interface ParsedHash {
  readonly path: string;
  readonly size?: number;
  readonly xxh128?: string;
  readonly action?: string;
}

/** What a reader needs of one ASC MHL generation. */
export interface ParsedGeneration {
  readonly hashes: readonly ParsedHash[];
  /** The generation's `<ignore>` patterns; undefined when it has none (tools then use the defaults). */
  readonly ignore: readonly string[] | undefined;
}

type Text = string | { readonly '#text'?: string; readonly [attr: string]: unknown };

interface RawHash {
  readonly path?: Text;
  readonly xxh128?: Text;
}

interface RawGeneration {
  readonly hashlist?: {
    readonly processinfo?: { readonly ignore?: { readonly pattern?: readonly Text[] } };
    readonly hashes?: { readonly hash?: readonly RawHash[] };
  };
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  isArray: (name) => name === 'hash' || name === 'pattern',
});

const text = (t: Text | undefined): string | undefined =>
  typeof t === 'string' ? t : typeof t?.['#text'] === 'string' ? t['#text'] : undefined;
const attr = (t: Text | undefined, name: string): string | undefined => {
  const v = typeof t === 'object' ? t[name] : undefined;
  return typeof v === 'string' ? v : undefined;
};

/**
 * Reads a generation file's text. Throws when it is not an ASC MHL hash list, so that a
 * damaged generation is named, never taken for an empty one.
 */
export function parseGeneration(xml: string): ParsedGeneration {
  const doc = parser.parse(xml) as RawGeneration;
  const list = doc.hashlist;
  if (list === undefined || typeof list !== 'object')
    throw new Error('not an ASC MHL generation (no <hashlist>)');
  const hashes: ParsedHash[] = [];
  for (const h of list.hashes?.hash ?? []) {
    const path = text(h.path);
    if (path === undefined) continue;
    const size = attr(h.path, 'size');
    const xxh128 = text(h.xxh128);
    const action = attr(h.xxh128, 'action');
    hashes.push({
      path,
      ...(size === undefined ? {} : { size: Number(size) }),
      ...(xxh128 === undefined ? {} : { xxh128: xxh128.trim() }),
      ...(action === undefined ? {} : { action }),
    });
  }
  const patterns = list.processinfo?.ignore?.pattern;
  return {
    hashes,
    ignore: patterns?.map(text).filter((p): p is string => p !== undefined),
  };
}
