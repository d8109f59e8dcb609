import type { Dirent } from 'node:fs';
import * as fs from 'node:fs/promises';
import { join } from 'node:path';

/** Folders tethering software keeps for itself (Capture One's cache and settings). */
const IGNORED_DIRS = new Set(['captureone', '$recycle.bin', 'system volume information']);
/** Names that are temporaries or databases still being written, never finished images. */
const TEMPORARY = /(\.(tmp|temp|part|partial|crdownload|download|cosessiondb|lock)|~)$/i;
const IGNORED_FILES = new Set(['thumbs.db', 'desktop.ini']);

/** Whether a file or folder name is tethering software's own, not a photo. */
export function ignoredName(name: string, isDir: boolean): boolean {
  const lower = name.toLowerCase();
  if (name.startsWith('.') || name.startsWith('~$')) return true;
  if (isDir) return IGNORED_DIRS.has(lower);
  return IGNORED_FILES.has(lower) || TEMPORARY.test(name);
}

export interface ScannedFile {
  /** '/'-separated, relative to the watched folder. */
  readonly relPath: string;
  readonly size: number;
  readonly mtimeMs: number;
  readonly readOnly: boolean;
}

export interface ScanProblem {
  readonly relPath: string;
  readonly message: string;
}

/**
 * Every regular file under `root`, without following symbolic links (a link could point
 * anywhere; it is reported instead). Folders that cannot be listed are reported, the rest scanned.
 */
export async function scanFolder(
  root: string,
  onProblem: (p: ScanProblem) => void,
): Promise<ScannedFile[]> {
  const out: ScannedFile[] = [];
  const walk = async (dir: string, rel: string): Promise<void> => {
    let items: Dirent[];
    try {
      items = await fs.readdir(dir, { withFileTypes: true });
    } catch (err) {
      if (rel === '') throw err;
      onProblem({
        relPath: rel,
        message: `cannot list folder: ${(err as NodeJS.ErrnoException).code ?? String(err)}`,
      });
      return;
    }
    for (const item of items.sort((a, b) => a.name.localeCompare(b.name))) {
      const relPath = rel === '' ? item.name : `${rel}/${item.name}`;
      if (ignoredName(item.name, item.isDirectory())) continue;
      if (item.isSymbolicLink()) {
        onProblem({ relPath, message: 'symbolic link in the hot folder; not followed' });
      } else if (item.isDirectory()) {
        await walk(join(dir, item.name), relPath);
      } else if (item.isFile()) {
        // A file deleted between listing and stat simply is not there any more.
        const st = await fs.stat(join(dir, item.name)).catch(() => undefined);
        if (st !== undefined)
          out.push({
            relPath,
            size: st.size,
            mtimeMs: st.mtimeMs,
            readOnly: (st.mode & 0o222) === 0,
          });
      }
    }
  };
  await walk(root, '');
  return out;
}
