import type { Stats } from 'ssh2';
import type { Client, SFTPWrapper } from 'ssh2';
import { hashBytes } from '../platform/index.js';
import type {
  HashOptions,
  Remote,
  RemoteCapabilities,
  RemoteEntry,
  RemoteFile,
  RemoteHash,
  RemoteStat,
} from './remote.js';
import { joinRemote, tooLarge } from './remote-path.js';
import { connectSftp, type SftpConnectOptions, type SftpEndpoint } from './sftp-connect.js';
import { SftpFile } from './sftp-file.js';
import { hashOverSftp, readBuffers, SftpChannel } from './sftp-io.js';
import { ShellHasher } from './shell-hasher.js';
import type { SeenHostKey } from './host-key.js';

/** Files at least this large are hashed on the NAS when it can; smaller ones are read back (cheaper than a shell round trip). */
export const REMOTE_HASH_MIN_BYTES = 8 * 1024 * 1024;

export interface SftpRemoteOptions extends SftpConnectOptions {
  /** Never hash on the NAS (tests of the fallback; NAS accounts that forbid a shell). */
  readonly noRemoteHash?: boolean;
  /** One SFTP request may take this long before the NAS counts as gone (default 2 minutes). */
  readonly requestTimeoutMs?: number;
}

/**
 * A NAS folder over SFTP (OpenSSH or any SFTP v3 server): one SSH connection for the whole
 * sync; fsync@openssh.com and hardlink@openssh.com when the server offers them; verification
 * on the NAS with xxhsum when it has a shell and xxhsum, else by reading back.
 */
export class SftpRemote implements Remote {
  private hasher: ShellHasher | undefined;
  private hasherTried = false;
  private lost: Error | undefined;
  private readonly buffers = readBuffers();
  private readonly ch: SftpChannel;

  private constructor(
    private readonly client: Client,
    private readonly sftp: SFTPWrapper,
    readonly location: string,
    private readonly root: string,
    private caps: RemoteCapabilities,
    readonly hostKey: SeenHostKey,
    private readonly allowRemoteHash: boolean,
    timeoutMs: number,
    /** The server is OpenSSH, whose rename never replaces a file. */
    private readonly opensshRename: boolean,
  ) {
    this.ch = new SftpChannel(sftp, () => this.lost, timeoutMs);
    const lose = (why: string): void => {
      this.lost ??= Object.assign(new Error(why), { code: 'ECONNRESET' });
      this.ch.failAll(this.lost);
    };
    client.once('close', () => lose('the connection to the NAS was lost'));
    // The SFTP subsystem can end while the SSH connection lives on; ssh2 would then queue requests forever.
    sftp.once('close', () => lose('the SFTP session on the NAS ended'));
  }

  static async connect(
    endpoint: SftpEndpoint & { readonly path: string },
    location: string,
    options: SftpRemoteOptions,
  ): Promise<SftpRemote> {
    const { client, sftp, hostKey } = await connectSftp(endpoint, options);
    const ext = (name: string): boolean =>
      (sftp as unknown as { _extensions: Record<string, string> })._extensions[name] === '1';
    return new SftpRemote(
      client,
      sftp,
      location,
      endpoint.path,
      {
        fsync: ext('fsync@openssh.com'),
        atomicPlace: ext('hardlink@openssh.com'),
        hashOnRemote: false,
      },
      hostKey,
      options.noRemoteHash !== true,
      options.requestTimeoutMs ?? 120_000,
      /^OpenSSH/.test((client as unknown as { _remoteVer?: string })._remoteVer ?? ''),
    );
  }

  get capabilities(): RemoteCapabilities {
    return this.caps;
  }

  private abs(path: string): string {
    return joinRemote(this.root, path);
  }

  async stat(path: string): Promise<RemoteStat | undefined> {
    try {
      return statOf(
        await this.ch.call<Stats>('stat', path, (cb) => this.sftp.lstat(this.abs(path), cb)),
      );
    } catch (err) {
      if ((err as { code?: string }).code === 'ENOENT') return undefined;
      throw err;
    }
  }

  async list(dir: string): Promise<RemoteEntry[] | undefined> {
    try {
      const names = await this.ch.call<{ filename: string; attrs: Stats }[]>('readdir', dir, (cb) =>
        this.sftp.readdir(this.abs(dir), cb),
      );
      return names
        .filter((n) => n.filename !== '.' && n.filename !== '..')
        .map((n) => ({ name: n.filename, ...statOf(n.attrs) }));
    } catch (err) {
      if ((err as { code?: string }).code === 'ENOENT') return undefined;
      throw err;
    }
  }

  async mkdirs(dir: string): Promise<void> {
    const parts = dir.split('/').filter((s) => s !== '');
    for (let i = 1; i <= parts.length; i++) {
      const sub = parts.slice(0, i).join('/');
      const st = await this.stat(sub);
      if (st?.kind === 'directory') continue;
      try {
        await this.ch.call('mkdir', sub, (cb) => this.sftp.mkdir(this.abs(sub), cb));
      } catch (err) {
        // Another writer may have made it meanwhile.
        if ((await this.stat(sub))?.kind !== 'directory') throw err;
      }
    }
  }

  async readFile(path: string, maxBytes: number): Promise<Buffer> {
    const handle = await this.open(path, 'r');
    try {
      const st = await this.ch.call<Stats>('fstat', path, (cb) => this.sftp.fstat(handle, cb));
      if (st.size > maxBytes) throw tooLarge(path, st.size, maxBytes);
      const chunks: Buffer[] = [];
      for (let at = 0; ;) {
        const chunk = await this.ch.call<Buffer>('read', path, (cb) =>
          this.sftp.read(handle, Buffer.allocUnsafe(64 * 1024), 0, 64 * 1024, at, (err, n, buf) =>
            cb(err, buf.subarray(0, n)),
          ),
        );
        if (chunk.byteLength === 0) break;
        chunks.push(chunk);
        at += chunk.byteLength;
        if (at > maxBytes) throw tooLarge(path, at, maxBytes);
      }
      return Buffer.concat(chunks);
    } finally {
      await this.closeHandle(path, handle);
    }
  }

  async create(path: string): Promise<RemoteFile> {
    let handle: Buffer;
    try {
      handle = await this.open(path, 'wx');
    } catch (err) {
      // Servers answer a taken name with a generic failure: tell EEXIST apart by looking.
      if ((await this.stat(path).catch(() => undefined)) !== undefined)
        throw Object.assign(new Error(`sftp create ${path}: file exists`), { code: 'EEXIST' });
      throw err;
    }
    return new SftpFile(this.ch, handle, path, this.capabilities.fsync);
  }

  async append(path: string): Promise<RemoteFile> {
    const handle = await this.open(path, 'a');
    const st = await this.ch.call<Stats>('fstat', path, (cb) => this.sftp.fstat(handle, cb));
    return new SftpFile(this.ch, handle, path, this.capabilities.fsync, st.size);
  }

  /**
   * OpenSSH's server renames a regular file with link(2) + unlink(2): a rename that never
   * replaces, in one round trip. Other servers: hardlink@openssh.com when offered, else the
   * SFTP v3 rename (which must not replace) after a look.
   */
  async place(from: string, to: string): Promise<'placed' | 'exists'> {
    const [src, dst] = [this.abs(from), this.abs(to)];
    try {
      if (this.opensshRename) {
        await this.ch.call('rename', to, (cb) => this.sftp.rename(src, dst, cb));
      } else if (this.capabilities.atomicPlace) {
        await this.ch.call('hardlink', to, (cb) => this.sftp.ext_openssh_hardlink(src, dst, cb));
        await this.remove(from);
      } else {
        if ((await this.stat(to)) !== undefined) return 'exists';
        await this.ch.call('rename', to, (cb) => this.sftp.rename(src, dst, cb));
      }
    } catch (err) {
      if ((await this.stat(to).catch(() => undefined)) !== undefined) return 'exists';
      throw err;
    }
    return 'placed';
  }

  async remove(path: string): Promise<void> {
    try {
      await this.ch.call('remove', path, (cb) => this.sftp.unlink(this.abs(path), cb));
    } catch (err) {
      if ((err as { code?: string }).code !== 'ENOENT') throw err;
    }
  }

  async hash(path: string, options: HashOptions = {}): Promise<RemoteHash> {
    const size = options.size ?? (await this.stat(path))?.size;
    const shell =
      size !== undefined && size >= REMOTE_HASH_MIN_BYTES ? await this.shellHasher() : undefined;
    if (shell?.alive === true && size !== undefined) {
      try {
        return { hash: await shell.hash(this.abs(path)), bytes: size, how: 'remote' };
      } catch {
        // The shell went away, or could not read the file: read it back instead.
      }
    }
    const handle = await this.open(path, 'r');
    try {
      const back = await hashOverSftp(this.ch, handle, path, options, this.buffers);
      return { ...back, how: 'read-back' };
    } finally {
      await this.closeHandle(path, handle);
    }
  }

  async close(): Promise<void> {
    this.hasher?.close();
    if (this.lost !== undefined) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 5_000);
      this.client.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      this.client.end();
    });
  }

  /** Started on the first large file: probes the NAS with the vault marker, whose hash is known here. */
  private async shellHasher(): Promise<ShellHasher | undefined> {
    if (this.hasherTried) return this.hasher;
    this.hasherTried = true;
    if (!this.allowRemoteHash) return undefined;
    const probePath = 'fieldbackup-vault.json';
    const bytes = await this.readFile(probePath, 1 << 20).catch(() => undefined);
    if (bytes === undefined) return undefined;
    const probe = { path: this.abs(probePath), hash: hashBytes(bytes) };
    this.hasher = await ShellHasher.start(this.client, probe, 10_000);
    if (this.hasher !== undefined) this.caps = { ...this.caps, hashOnRemote: true };
    return this.hasher;
  }

  private open(path: string, flags: 'r' | 'wx' | 'a'): Promise<Buffer> {
    return this.ch.call<Buffer>('open', path, (cb) =>
      this.sftp.open(this.abs(path), flags, 0o644, cb),
    );
  }

  private async closeHandle(path: string, handle: Buffer): Promise<void> {
    await this.ch.call('close', path, (cb) => this.sftp.close(handle, cb)).catch(() => undefined);
  }
}

function statOf(st: Stats): RemoteStat {
  return {
    kind: st.isFile() ? 'file' : st.isDirectory() ? 'directory' : 'other',
    size: st.size,
    mtimeMs: st.mtime * 1000,
  };
}
