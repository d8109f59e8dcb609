/** One tag as ExifTool printed it (`val`) and its raw value (`num`) when the two differ. */
export interface StoredTag {
  readonly val: unknown;
  readonly num?: unknown;
}

/**
 * Every tag ExifTool read from a file (-a -G1:4 -l): keys "Group:Tag", duplicates
 * "Group:CopyN:Tag". Kept whole in the catalog (compressed) so nothing is lost.
 */
export type TagSet = Readonly<Record<string, StoredTag>>;

/** Tags about the file system, not the file: they differ on every copy by design. */
const FILE_SYSTEM = /^(System:|SourceFile$)/;

export function isFileSystemTag(key: string): boolean {
  return FILE_SYSTEM.test(key);
}

/** The tag name of a key ("IFD0:Copy1:Make" → "Make"). */
export function tagName(key: string): string {
  return key.slice(key.lastIndexOf(':') + 1);
}

/** The family-1 group of a key ("IFD0:Copy1:Make" → "IFD0"). */
export function tagGroup(key: string): string {
  const colon = key.indexOf(':');
  return colon < 0 ? '' : key.slice(0, colon);
}

/** Lookup by tag name with a group preference, over one file's tag set. */
export class TagIndex {
  private readonly byName = new Map<string, { group: string; tag: StoredTag }[]>();

  constructor(readonly tags: TagSet) {
    for (const [key, tag] of Object.entries(tags)) {
      if (isFileSystemTag(key)) continue;
      const name = tagName(key);
      const list = this.byName.get(name) ?? [];
      list.push({ group: tagGroup(key), tag });
      this.byName.set(name, list);
    }
  }

  private pick(name: string, groups: readonly string[] | undefined): StoredTag | undefined {
    const list = this.byName.get(name);
    if (list === undefined) return undefined;
    for (const g of groups ?? []) {
      const hit = list.find((e) =>
        g.endsWith('*') ? e.group.startsWith(g.slice(0, -1)) : e.group === g,
      );
      if (hit !== undefined) return hit.tag;
    }
    return groups === undefined || groups.includes('**') ? list[0]?.tag : undefined;
  }

  /** The printed value of the first tag named `name` in the preferred groups ('**' = any group). */
  printed(name: string, groups?: readonly string[]): unknown {
    return this.pick(name, groups)?.val;
  }

  /** The raw (numeric where ExifTool has one) value. */
  raw(name: string, groups?: readonly string[]): unknown {
    const t = this.pick(name, groups);
    return t === undefined ? undefined : 'num' in t ? t.num : t.val;
  }

  /** Every group that has a tag of this name, with its values. */
  all(name: string): readonly { group: string; tag: StoredTag }[] {
    return this.byName.get(name) ?? [];
  }

  groupsStartingWith(prefix: string): [string, StoredTag][] {
    return Object.entries(this.tags).filter(([k]) => k.startsWith(prefix));
  }
}
