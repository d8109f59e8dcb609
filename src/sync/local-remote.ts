import type { FileHandle } from 'node:fs/promises';
import * as fs from 'node:fs/promises';
import { dirname } from 'node:path';
import { fsyncDir, hashFromMedium, mkdirDurable, placeNoReplace } from '../platform/index.js';
import { joinRemote, tooLarge } from './remote-path.js';
import type {
  CloseOptions,
  Remote,
  RemoteCapabilities,
  RemoteEntry,
  RemoteFile,
  RemoteHash,
  RemoteKind,
  RemoteStat,
} from './remote.js';

/**
 * A NAS share the OS has mounted (SMB, NFS), or any local folder: plain file operations,
 * fsync, link(2) for a rename that never replaces, read-back with O_DIRECT so that the
 * box's page cache cannot answer for the NAS.
 */
export class LocalRemote implements Remote {
  readonly capabilities: RemoteCapabilities = {
    fsync: true,
    atomicPlace: true,
    hashOnRemote: false,
  };

  constructor(readonly root: string) {}

  get location(): string {
    return this.root;
  }

  private abs(path: string): string {
    return joinRemote(this.root, path);
  }

  async stat(path: string): Promise<RemoteStat | undefined> {
    try {
      return statOf(await fs.lstat(this.abs(path)));
    } catch (err) {
      if (isMissing(err)) return undefined;
      throw err;
    }
  }

  async list(dir: string): Promise<RemoteEntry[] | undefined> {
    let names: string[];
    try {
      names = await fs.readdir(this.abs(dir));
    } catch (err) {
      if (isMissing(err)) return undefined;
      throw err;
    }
    const entries: RemoteEntry[] = [];
    for (const name of names) {
      const st = await this.stat(dir === '' ? name : `${dir}/${name}`);
      if (st !== undefined) entries.push({ name, ...st });
    }
    return entries;
  }

  async mkdirs(dir: string): Promise<void> {
    await mkdirDurable(this.abs(dir));
  }

  async readFile(path: string, maxBytes: number): Promise<Buffer> {
    const handle = await fs.open(this.abs(path), 'r');
    try {
      const { size } = await handle.stat();
      if (size > maxBytes) throw tooLarge(path, size, maxBytes);
      return await handle.readFile();
    } finally {
      await handle.close();
    }
  }

  async create(path: string): Promise<RemoteFile> {
    return new LocalFile(await fs.open(this.abs(path), 'wx', 0o644));
  }

  async append(path: string): Promise<RemoteFile> {
    return new LocalFile(await fs.open(this.abs(path), 'a'));
  }

  async place(from: string, to: string): Promise<'placed' | 'exists'> {
    const target = this.abs(to);
    const result = await placeNoReplace(this.abs(from), target);
    if (result === 'placed') await fsyncDir(dirname(target));
    return result;
  }

  async remove(path: string): Promise<void> {
    await fs.rm(this.abs(path), { force: true });
  }

  async hash(path: string): Promise<RemoteHash> {
    const back = await hashFromMedium(this.abs(path));
    return { hash: back.hash, bytes: back.bytes, how: 'read-back' };
  }

  async close(): Promise<void> {
    // Nothing is held open between operations.
  }
}

class LocalFile implements RemoteFile {
  constructor(private readonly handle: FileHandle) {}

  async write(chunk: Uint8Array): Promise<void> {
    for (let offset = 0; offset < chunk.byteLength;) {
      const { bytesWritten } = await this.handle.write(chunk, offset, chunk.byteLength - offset);
      offset += bytesWritten;
    }
  }

  async close(options: CloseOptions = {}): Promise<void> {
    try {
      if (options.mtimeMs !== undefined)
        await this.handle.utimes(options.mtimeMs / 1000, options.mtimeMs / 1000);
      if (options.fsync === true) await this.handle.sync();
    } catch (err) {
      await this.handle.close().catch(() => undefined);
      throw err;
    }
    await this.handle.close();
  }

  async abort(): Promise<void> {
    await this.handle.close().catch(() => undefined);
  }
}

function statOf(st: {
  isFile(): boolean;
  isDirectory(): boolean;
  size: number;
  mtimeMs: number;
}): RemoteStat {
  const kind: RemoteKind = st.isFile() ? 'file' : st.isDirectory() ? 'directory' : 'other';
  return { kind, size: st.size, mtimeMs: st.mtimeMs };
}

function isMissing(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}
