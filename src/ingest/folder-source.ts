import type { Stats } from 'node:fs';
import * as fs from 'node:fs/promises';
import { basename, join, relative, sep } from 'node:path';
import {
  FieldBackupError,
  type Source,
  type SourceEntry,
  type SourceIdentity,
  type SourceKind,
  type SourceWarning,
} from '../core/index.js';
import {
  chunksOf,
  errnoOf,
  mountAt,
  openReadOnly,
  sourceErrorCode,
  volumeIds,
  wrapError,
} from '../platform/index.js';
import { isJunk } from './junk.js';

/**
 * A mounted card or any folder. Read-only by construction: files are opened O_RDONLY (with
 * O_NOATIME where allowed, so not even access times change), symlinks are followed only to
 * files inside the root, and OS junk is skipped.
 */
export class FolderSource implements Source {
  private resolvedRoot: string | undefined;
  private detectedKind: SourceKind = 'folder';

  constructor(readonly root: string) {}

  get kind(): SourceKind {
    return this.detectedKind;
  }

  async identify(): Promise<SourceIdentity> {
    const root = await this.realRoot();
    const st = await fs.statfs(root);
    const mount = await mountAt(root);
    if (mount !== undefined && mount.device.startsWith('/dev/')) {
      this.detectedKind = 'card';
      const ids = await volumeIds(mount.device);
      return {
        kind: 'card',
        name: ids.label ?? basename(root),
        location: root,
        capacityBytes: st.blocks * st.bsize,
        ...(ids.uuid === undefined ? {} : { serial: ids.uuid }),
        ...(ids.label === undefined ? {} : { label: ids.label }),
      };
    }
    return { kind: 'folder', name: basename(root) || root, location: root };
  }

  async *entries(onWarning: (w: SourceWarning) => void): AsyncIterable<SourceEntry> {
    const root = await this.realRoot();
    yield* this.walk(root, root, onWarning);
  }

  localPath(entry: SourceEntry): string {
    return join(this.root, ...entry.relPath.split('/'));
  }

  async *read(entry: SourceEntry): AsyncIterable<Uint8Array> {
    const path = this.localPath(entry);
    const handle = await openReadOnly(path).catch((err: unknown) => {
      throw wrapError(err, sourceErrorCode(err), `cannot open ${entry.relPath}`, {
        path: entry.relPath,
      });
    });
    try {
      const chunks = chunksOf(handle);
      let step = await chunks.next();
      for (; step.done !== true; step = await chunks.next()) yield step.value;
      const position = step.value;
      const after = await handle.stat();
      if (position !== entry.size || after.size !== entry.size || after.mtimeMs !== entry.mtimeMs) {
        throw new FieldBackupError(
          'E_SOURCE_CHANGED',
          `${entry.relPath} changed while it was being read (${entry.size} bytes expected, ${position} read)`,
          {
            subject: { path: entry.relPath },
            retryable: true,
          },
        );
      }
      await fs.stat(path).catch((err: unknown) => {
        throw errnoOf(err) === 'ENOENT'
          ? new FieldBackupError(
              'E_SOURCE_MISSING',
              `${entry.relPath} vanished while it was being read`,
              { subject: { path: entry.relPath } },
            )
          : err;
      });
    } catch (err) {
      throw wrapError(err, sourceErrorCode(err), `cannot read ${entry.relPath}`, {
        path: entry.relPath,
      });
    } finally {
      await handle.close();
    }
  }

  private async realRoot(): Promise<string> {
    if (this.resolvedRoot !== undefined) return this.resolvedRoot;
    try {
      this.resolvedRoot = await fs.realpath(this.root);
      const st = await fs.stat(this.resolvedRoot);
      if (!st.isDirectory()) throw Object.assign(new Error('not a directory'), { code: 'ENOTDIR' });
    } catch (err) {
      throw wrapError(err, 'E_SOURCE_MISSING', `source ${this.root} cannot be read`, {
        path: this.root,
      });
    }
    return this.resolvedRoot;
  }

  private async *walk(
    root: string,
    dir: string,
    onWarning: (w: SourceWarning) => void,
  ): AsyncIterable<SourceEntry> {
    let names: string[];
    try {
      names = (await fs.readdir(dir)).sort();
    } catch (err) {
      onWarning({
        code: sourceErrorCode(err) === 'E_SOURCE_DENIED' ? 'E_SOURCE_DENIED' : 'E_SOURCE_READ',
        message: `cannot list folder: ${errnoOf(err) ?? String(err)}`,
        path: toRel(root, dir),
      });
      return;
    }
    for (const name of names) {
      if (isJunk(name)) continue;
      const path = join(dir, name);
      const rel = toRel(root, path);
      let st: Stats;
      try {
        st = await fs.lstat(path);
        if (st.isSymbolicLink()) {
          const target = await fs.realpath(path);
          if (target !== root && !target.startsWith(root + sep)) {
            onWarning({
              code: 'E_SYMLINK_OUTSIDE',
              message: `symbolic link points outside the source (${target}); not followed`,
              path: rel,
            });
            continue;
          }
          st = await fs.stat(path);
          if (!st.isFile()) {
            onWarning({
              code: 'E_SYMLINK_OUTSIDE',
              message: 'symbolic link to a folder; not followed',
              path: rel,
            });
            continue;
          }
        }
      } catch (err) {
        onWarning({
          code: 'E_SOURCE_READ',
          message: `cannot inspect: ${errnoOf(err) ?? String(err)}`,
          path: rel,
        });
        continue;
      }
      if (st.isDirectory()) {
        yield* this.walk(root, path, onWarning);
      } else if (st.isFile()) {
        yield {
          relPath: rel,
          size: st.size,
          mtimeMs: st.mtimeMs,
          protected: (st.mode & 0o222) === 0,
        };
      }
    }
  }
}

function toRel(root: string, path: string): string {
  return relative(root, path).split(sep).join('/');
}
