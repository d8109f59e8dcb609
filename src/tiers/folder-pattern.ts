/**
 * A folder pattern of a tier rule, matched case-insensitively (cards are FAT/exFAT):
 * with a "/" it is the whole folder path from the source root ("DCIM/1*CANON", "PROJECTS/**");
 * without one it names any single folder along the path ("TIMELAPSE").
 * `*` is any run of characters within a folder name, `**` any run of folders, `?` one character.
 */
export function folderMatcher(pattern: string): (folder: string) => boolean {
  const trimmed = pattern.replace(/^\/+|\/+$/g, '');
  const re = new RegExp(`^${toRegex(trimmed)}$`, 'i');
  if (trimmed.includes('/')) return (folder) => re.test(folder);
  return (folder) => folder.split('/').some((name) => re.test(name));
}

function toRegex(glob: string): string {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] ?? '';
    if (c === '*' && glob[i + 1] === '*') {
      // "a/**/b" also matches "a/b": the run of folders may be empty.
      const slashAfter = glob[i + 2] === '/';
      out += slashAfter ? '(?:.*/)?' : '.*';
      i += slashAfter ? 2 : 1;
    } else if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else out += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return out;
}

/** The folder part of a source-relative path ("" for the root). */
export function folderOf(relPath: string): string {
  const slash = relPath.lastIndexOf('/');
  return slash < 0 ? '' : relPath.slice(0, slash);
}
