import type { TagSet } from './tag-set.js';

export interface TagDifference {
  readonly tag: string;
  readonly expected: unknown;
  readonly actual: unknown;
}

const canonical = (v: unknown): string => JSON.stringify(v);

/** Tags whose values differ between two reads of the same bytes (file-system tags are never in a TagSet). */
export function compareTags(expected: TagSet, actual: TagSet): TagDifference[] {
  const out: TagDifference[] = [];
  const keys = new Set([...Object.keys(expected), ...Object.keys(actual)]);
  for (const tag of [...keys].sort()) {
    const e = expected[tag];
    const a = actual[tag];
    if (canonical(e) !== canonical(a)) out.push({ tag, expected: e?.val, actual: a?.val });
  }
  return out;
}
