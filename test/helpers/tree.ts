import { createHash } from 'node:crypto';
import * as fs from 'node:fs/promises';
import { join, relative } from 'node:path';

export interface TreeEntry {
  readonly sha256: string;
  readonly size: number;
  readonly mtimeMs: number;
  readonly mode: number;
}

/** Every file under `root` with its bytes' hash, mtime and mode: for "the source was not modified". */
export async function snapshotTree(root: string): Promise<Map<string, TreeEntry>> {
  const out = new Map<string, TreeEntry>();
  const walk = async (dir: string): Promise<void> => {
    for (const d of await fs.readdir(dir, { withFileTypes: true })) {
      const path = join(dir, d.name);
      const st = await fs.lstat(path);
      if (d.isDirectory()) {
        out.set(`${relative(root, path)}/`, {
          sha256: '',
          size: 0,
          mtimeMs: st.mtimeMs,
          mode: st.mode,
        });
        await walk(path);
      } else if (d.isFile()) {
        const sha256 = createHash('sha256')
          .update(await fs.readFile(path))
          .digest('hex');
        out.set(relative(root, path), {
          sha256,
          size: st.size,
          mtimeMs: st.mtimeMs,
          mode: st.mode,
        });
      } else {
        out.set(relative(root, path), {
          sha256: await fs.readlink(path).catch(() => ''),
          size: st.size,
          mtimeMs: st.mtimeMs,
          mode: st.mode,
        });
      }
    }
  };
  await walk(root);
  return out;
}

/** All regular files under a vault's Photos/ (without ascmhl/), relative paths → sha256. */
export async function photosOf(vaultRoot: string): Promise<Map<string, string>> {
  const tree = await snapshotTree(join(vaultRoot, 'Photos'));
  return new Map(
    [...tree]
      .filter(([p]) => !p.endsWith('/') && !p.startsWith('ascmhl'))
      .map(([p, e]) => [p, e.sha256]),
  );
}
