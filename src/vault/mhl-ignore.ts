import ignore from 'ignore';

/** The ignore list ASC MHL tools start from (ascmhl's default). */
export const DEFAULT_IGNORE: readonly string[] = ['.DS_Store', 'ascmhl', 'ascmhl/'];

/**
 * The ignore pattern (gitwildmatch, as ascmhl's `<ignore>` uses it) that matches exactly one
 * file removed on purpose. ASC MHL has no "deleted" record: a history is the union of every
 * generation, and a listed file that is absent is reported missing unless the latest
 * generation's ignore list matches it. The pattern starts with a `**` folder wildcard, so it
 * matches whether a tool tests the path relative to the history's root (our reader, ascmhl's
 * traversal) or absolute (ascmhl's completeness check). Wildcard characters are escaped;
 * trailing spaces, which a pattern would lose, become `[ ]`.
 */
export function removedPattern(path: string): string {
  const escaped = path.replace(/[\\*?[\]]/g, (c) => `\\${c}`).replace(/[\r\n]/g, '?');
  const trailing = /( +)$/.exec(escaped)?.[1]?.length ?? 0;
  return `**/${escaped.slice(0, escaped.length - trailing)}${'[ ]'.repeat(trailing)}`;
}

/**
 * The next generation's ignore list: the latest one's (or the defaults), plus a pattern for
 * each file removed now, minus the patterns of files listed again (a copy put back).
 */
export function nextIgnoreList(
  latest: readonly string[] | undefined,
  removed: readonly string[],
  listed: readonly string[],
): string[] {
  const back = new Set(listed.map(removedPattern));
  const out = new Set([...(latest ?? DEFAULT_IGNORE)].filter((p) => !back.has(p)));
  for (const p of removed.map(removedPattern)) if (!back.has(p)) out.add(p);
  return [...out];
}

/** Tests Photos/-relative paths against an ignore list, as ascmhl does (gitwildmatch). */
export function ignoreMatcher(patterns: readonly string[]): (path: string) => boolean {
  const matcher = ignore().add([...patterns]);
  return (path) => matcher.ignores(path);
}
