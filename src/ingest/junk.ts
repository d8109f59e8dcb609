/** Files and folders that operating systems leave on cards; never photos, never backed up. */
const JUNK_NAMES = new Set([
  '.Trashes',
  '.Trash-1000',
  '.Spotlight-V100',
  '.fseventsd',
  '.TemporaryItems',
  '.DocumentRevisions-V100',
  'System Volume Information',
  '$RECYCLE.BIN',
  '.DS_Store',
  'Thumbs.db',
  'desktop.ini',
]);

export function isJunk(name: string): boolean {
  return JUNK_NAMES.has(name) || name.startsWith('._');
}
