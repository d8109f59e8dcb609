import type { SFTPWrapper } from 'ssh2';
import { Xxh128 } from '../platform/index.js';
import type { ContentHash } from '../core/index.js';

/** SFTP status codes (draft-ietf-secsh-filexfer-02) as the errno the rest of the box understands. */
const ERRNO_OF_STATUS: Readonly<Record<number, string>> = {
  1: 'EOF',
  2: 'ENOENT',
  3: 'EACCES',
  4: 'EIO',
  5: 'EINVAL',
  6: 'ECONNRESET',
  7: 'ECONNRESET',
  8: 'ENOTSUP',
};

/** An SFTP failure as an Error with an errno `code`; a dropped connection is ECONNRESET. */
export function sftpError(err: unknown, op: string, path: string): Error {
  const status = (err as { code?: unknown }).code;
  // A numeric code is an SFTP status; a string is already an errno (a path refused here);
  // none at all is ssh2 telling that the channel is gone.
  const code =
    typeof status === 'number'
      ? (ERRNO_OF_STATUS[status] ?? 'EIO')
      : typeof status === 'string'
        ? status
        : 'ECONNRESET';
  const message = err instanceof Error ? err.message : String(err);
  return Object.assign(new Error(`sftp ${op} ${path}: ${message}`), { code, cause: err });
}

type Done = (err: Error | null | undefined, value?: unknown) => void;

/**
 * The SFTP session as the remote uses it: every request becomes a promise with mapped errors,
 * fails at once when the connection is gone (ssh2 would queue it forever), and is bounded in
 * time (a server that stopped answering without closing the connection; one watchdog for all
 * requests, not a timer each). Data requests of all files together share one window of
 * PIPELINE_REQUESTS: the connection goes no faster with more, and ssh2 would hold the rest in
 * memory.
 */
export class SftpChannel {
  /** Requests waiting for an answer, and when they were sent. */
  private readonly pending = new Map<Done, number>();
  private watchdog: NodeJS.Timeout | undefined;
  private dataInFlight = 0;
  private readonly dataWaiting: (() => void)[] = [];

  constructor(
    readonly sftp: SFTPWrapper,
    private readonly lost: () => Error | undefined,
    private readonly timeoutMs: number,
  ) {}

  call<T = void>(
    op: string,
    path: string,
    start: (cb: (err: Error | null | undefined, value?: T) => void) => void,
  ): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const gone = this.lost();
      if (gone !== undefined) {
        reject(sftpError(gone, op, path));
        return;
      }
      const done = (err: Error | null | undefined, value?: unknown): void => {
        if (!this.pending.delete(done)) return;
        if (err !== null && err !== undefined) reject(sftpError(err, op, path));
        else resolve(value as T);
      };
      this.pending.set(done, Date.now());
      this.watch();
      try {
        start(done);
      } catch (err) {
        // ssh2 throws synchronously for a closed channel or a path refused here.
        done(err as Error);
      }
    });
  }

  /** A place in the session's window for one data request (read or write); returns its release. */
  async slot(): Promise<() => void> {
    if (this.dataInFlight >= PIPELINE_REQUESTS)
      await new Promise<void>((go) => this.dataWaiting.push(go));
    else this.dataInFlight++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      // The place passes straight to the next waiter, if any.
      const next = this.dataWaiting.shift();
      if (next !== undefined) next();
      else this.dataInFlight--;
    };
  }

  /** The connection closed: every request still waiting fails now (ssh2 may never call back). */
  failAll(err: Error): void {
    for (const done of [...this.pending.keys()]) done(err);
  }

  private watch(): void {
    if (this.watchdog !== undefined) return;
    this.watchdog = setInterval(
      () => {
        const now = Date.now();
        for (const [done, since] of this.pending) {
          if (now - since > this.timeoutMs)
            done(
              Object.assign(new Error(`no answer for ${this.timeoutMs} ms`), { code: 'ETIMEDOUT' }),
            );
        }
        if (this.pending.size === 0) {
          clearInterval(this.watchdog);
          this.watchdog = undefined;
        }
      },
      Math.min(5_000, this.timeoutMs / 4),
    );
    this.watchdog.unref();
  }
}

/** Requests kept in flight: 64 × 32 KiB, what OpenSSH's own sftp client does by default. */
export const PIPELINE_REQUESTS = 64;
export const REQUEST_BYTES = 32 * 1024;

/** Request-sized buffers kept for the next read-back, so reading files back makes no garbage. */
export class BufferPool {
  private readonly free: Buffer[] = [];

  constructor(
    readonly size: number,
    private readonly keep: number,
  ) {}

  take(): Buffer {
    return this.free.pop() ?? Buffer.allocUnsafeSlow(this.size);
  }

  give(buffer: Buffer): void {
    if (this.free.length < this.keep) this.free.push(buffer);
  }
}

export const readBuffers = (): BufferPool => new BufferPool(REQUEST_BYTES, PIPELINE_REQUESTS * 2);

interface Read {
  readonly buffer: Buffer;
  readonly data: Buffer;
}

/**
 * Reads a whole remote file with many requests in flight (one at a time would wait a round
 * trip per 32 KiB) and hashes it in order. With the expected size known, it asks for no more
 * than that and one read past it (which must find the end). A buffer is taken only when its
 * request gets a place in the session's window, so files verified at once share 2 MiB.
 */
export async function hashOverSftp(
  ch: SftpChannel,
  handle: Buffer,
  path: string,
  options: { readonly size?: number; readonly signal?: AbortSignal },
  pool: BufferPool,
): Promise<{ hash: ContentHash; bytes: number }> {
  const hasher = new Xxh128();
  const pending = new Map<number, Promise<Read>>();
  const limit = options.size === undefined ? Infinity : options.size;
  let next = 0;
  let bytes = 0;
  const request = (position: number): void => {
    const read = ch.slot().then(async (release) => {
      const buffer = pool.take();
      try {
        const data = await ch.call<Buffer>('read', path, (cb) =>
          ch.sftp.read(handle, buffer, 0, REQUEST_BYTES, position, (err, n, buf) =>
            cb(err, buf.subarray(0, n)),
          ),
        );
        return { buffer, data };
      } catch (err) {
        pool.give(buffer);
        throw err;
      } finally {
        release();
      }
    });
    read.catch(() => undefined);
    pending.set(position, read);
  };
  const drain = async (): Promise<void> => {
    for (const r of await Promise.allSettled(pending.values()))
      if (r.status === 'fulfilled') pool.give(r.value.buffer);
    pending.clear();
  };
  try {
    for (;;) {
      options.signal?.throwIfAborted();
      while (pending.size < PIPELINE_REQUESTS && next <= limit) {
        request(next);
        next += REQUEST_BYTES;
      }
      if (!pending.has(bytes)) request(bytes);
      const { buffer, data } = await (pending.get(bytes) as Promise<Read>);
      pending.delete(bytes);
      if (data.byteLength > 0) hasher.update(data);
      bytes += data.byteLength;
      pool.give(buffer);
      if (data.byteLength === 0) break;
      if (data.byteLength < REQUEST_BYTES) {
        // A short read: the end, or a server that reads less; ask again from here.
        await drain();
        next = bytes;
      }
    }
  } finally {
    await drain();
  }
  return { hash: hasher.digest(), bytes };
}
