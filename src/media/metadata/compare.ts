import { tagGroup, tagName, type TagSet } from './tag-set.js';

export interface TagDifference {
  readonly tag: string;
  readonly expected: unknown;
  readonly actual: unknown;
}

/**
 * A tag's identity across reads: its group and name without ExifTool's duplicate numbering
 * (Copy1, Copy2…) and without the '-' ExifTool appends to a generated name it has already
 * seen in a long-lived process. Which duplicate is "Copy1" and whether a generated name got
 * its '-' depends on the process, not on the file.
 */
function canonical(key: string): string {
  return `${tagGroup(key)}:${tagName(key).replace(/-+$/, '')}`;
}

function byTag(tags: TagSet): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [key, value] of Object.entries(tags)) {
    const id = canonical(key);
    out.set(id, [...(out.get(id) ?? []), JSON.stringify(value)]);
  }
  for (const list of out.values()) list.sort();
  return out;
}

const parse = (list: readonly string[] | undefined): unknown =>
  list === undefined
    ? undefined
    : list.length === 1
      ? (JSON.parse(list[0]!) as { val: unknown }).val
      : list.map((v) => (JSON.parse(v) as { val: unknown }).val);

/** Tags whose values differ between two reads of the same bytes (file-system tags are never in a TagSet). */
export function compareTags(expected: TagSet, actual: TagSet): TagDifference[] {
  const a = byTag(expected);
  const b = byTag(actual);
  const out: TagDifference[] = [];
  for (const tag of [...new Set([...a.keys(), ...b.keys()])].sort()) {
    const e = a.get(tag);
    const f = b.get(tag);
    if (JSON.stringify(e) !== JSON.stringify(f))
      out.push({ tag, expected: parse(e), actual: parse(f) });
  }
  return out;
}
