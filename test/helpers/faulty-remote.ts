import type {
  CloseOptions,
  HashOptions,
  Remote,
  RemoteCapabilities,
  RemoteEntry,
  RemoteFile,
  RemoteHash,
  RemoteStat,
} from '../../src/sync/index.js';

export interface Faults {
  /** Every operation after this many fails with ECONNRESET: the network dropped there. */
  failAfter?: number;
  /** An errno for one operation (op name, remote path), or undefined to let it through. */
  fail?: (op: string, path: string) => string | undefined;
  /** Make hash() of this path answer a wrong digest (a copy damaged on its way to the NAS disk). */
  corruptHash?: (path: string) => boolean;
}

/** A Remote in front of another that drops the connection or fails operations on cue. */
export class FaultyRemote implements Remote {
  ops = 0;

  constructor(
    private readonly inner: Remote,
    readonly faults: Faults = {},
  ) {}

  get location(): string {
    return this.inner.location;
  }

  get capabilities(): RemoteCapabilities {
    return this.inner.capabilities;
  }

  check(op: string, path: string): void {
    this.ops++;
    const errno =
      this.faults.failAfter !== undefined && this.ops > this.faults.failAfter
        ? 'ECONNRESET'
        : this.faults.fail?.(op, path);
    if (errno !== undefined)
      throw Object.assign(new Error(`${op} ${path}: ${errno} (injected)`), { code: errno });
  }

  async stat(path: string): Promise<RemoteStat | undefined> {
    this.check('stat', path);
    return this.inner.stat(path);
  }

  async list(dir: string): Promise<RemoteEntry[] | undefined> {
    this.check('list', dir);
    return this.inner.list(dir);
  }

  async mkdirs(dir: string): Promise<void> {
    this.check('mkdirs', dir);
    return this.inner.mkdirs(dir);
  }

  async readFile(path: string, maxBytes: number): Promise<Buffer> {
    this.check('readFile', path);
    return this.inner.readFile(path, maxBytes);
  }

  async create(path: string): Promise<RemoteFile> {
    this.check('create', path);
    return new FaultyFile(this, await this.inner.create(path), path);
  }

  async append(path: string): Promise<RemoteFile> {
    this.check('append', path);
    return new FaultyFile(this, await this.inner.append(path), path);
  }

  async place(from: string, to: string): Promise<'placed' | 'exists'> {
    this.check('place', to);
    return this.inner.place(from, to);
  }

  async remove(path: string): Promise<void> {
    this.check('remove', path);
    return this.inner.remove(path);
  }

  async hash(path: string, options?: HashOptions): Promise<RemoteHash> {
    this.check('hash', path);
    const h = await this.inner.hash(path, options);
    return this.faults.corruptHash?.(path) === true
      ? { ...h, hash: 'ffffffffffffffffffffffffffffffff' as RemoteHash['hash'] }
      : h;
  }

  async close(): Promise<void> {
    await this.inner.close();
  }
}

class FaultyFile implements RemoteFile {
  constructor(
    private readonly remote: FaultyRemote,
    private readonly inner: RemoteFile,
    private readonly path: string,
  ) {}

  async write(chunk: Uint8Array): Promise<void> {
    this.remote.check('write', this.path);
    return this.inner.write(chunk);
  }

  async close(options?: CloseOptions): Promise<void> {
    this.remote.check('close', this.path);
    return this.inner.close(options);
  }

  async abort(): Promise<void> {
    return this.inner.abort();
  }
}
