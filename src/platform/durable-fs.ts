import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import * as fs from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { errnoOf } from './errno.js';

/**
 * The durability primitives every write in the project goes through: temp beside the target,
 * fsync, a rename that never replaces (unless asked), fsync of the directory.
 */

// Filesystems without hard links (exFAT, FAT, some FUSE) answer link() with one of these.
const NO_HARDLINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'EXDEV', 'EMLINK', 'ENOSYS']);

export async function fsyncDir(dir: string): Promise<void> {
  const handle = await fs.open(dir, constants.O_RDONLY | constants.O_DIRECTORY);
  try {
    await handle.sync();
  } catch (err) {
    // Some FUSE filesystems do not implement fsync on directories; their rename is already synchronous.
    if (errnoOf(err) !== 'EINVAL' && errnoOf(err) !== 'ENOSYS') throw err;
  } finally {
    await handle.close();
  }
}

/** mkdir -p that fsyncs the parent of every directory it creates, so the new entries survive power loss. */
export async function mkdirDurable(dir: string): Promise<void> {
  const missing: string[] = [];
  let current = dir;
  for (;;) {
    try {
      const st = await fs.stat(current);
      if (!st.isDirectory())
        throw Object.assign(new Error(`not a directory: ${current}`), { code: 'ENOTDIR' });
      break;
    } catch (err) {
      if (errnoOf(err) !== 'ENOENT') throw err;
      missing.push(current);
      const parent = dirname(current);
      if (parent === current) break;
      current = parent;
    }
  }
  for (const d of missing.reverse()) {
    try {
      await fs.mkdir(d);
    } catch (err) {
      if (errnoOf(err) !== 'EEXIST') throw err;
    }
    await fsyncDir(dirname(d));
  }
}

export type PlaceResult = 'placed' | 'exists';

/**
 * Moves a finished temp file to its final name without ever replacing an existing file:
 * link(2) fails with EEXIST atomically; where the filesystem has no hard links, the caller's
 * vault lock makes check-then-rename safe. Does not fsync the directory.
 */
export async function placeNoReplace(tmp: string, final: string): Promise<PlaceResult> {
  try {
    await fs.link(tmp, final);
  } catch (err) {
    const errno = errnoOf(err);
    if (errno === 'EEXIST') return 'exists';
    if (errno === undefined || !NO_HARDLINKS.has(errno)) throw err;
    if (await pathExists(final)) return 'exists';
    await fs.rename(tmp, final);
    return 'placed';
  }
  await fs.unlink(tmp);
  return 'placed';
}

export async function pathExists(path: string): Promise<boolean> {
  try {
    await fs.lstat(path);
    return true;
  } catch (err) {
    if (errnoOf(err) === 'ENOENT') return false;
    throw err;
  }
}

export interface AtomicWriteOptions {
  /** Replace an existing file (manifests, chain files, config); default false: fail with EEXIST. */
  readonly replace?: boolean;
  readonly mode?: number;
}

/** The one atomic-write helper: temp beside the target → fsync → rename → fsync the directory. */
export async function writeFileAtomic(
  path: string,
  data: string | Uint8Array,
  options: AtomicWriteOptions = {},
): Promise<void> {
  const dir = dirname(path);
  const tmp = join(dir, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await fs.open(tmp, 'wx', options.mode ?? 0o644);
  try {
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (options.replace === true) {
      await fs.rename(tmp, path);
    } else if ((await placeNoReplace(tmp, path)) === 'exists') {
      throw Object.assign(new Error(`file exists: ${path}`), { code: 'EEXIST', path });
    }
  } catch (err) {
    await fs.rm(tmp, { force: true });
    throw err;
  }
  await fsyncDir(dir);
}
