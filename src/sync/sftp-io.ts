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

/**
 * The SFTP session as the remote uses it: every request becomes a promise with mapped errors,
 * fails at once when the connection is gone (ssh2 would queue it forever), and is bounded in
 * time (a server that stopped answering without closing the connection).
 */
export class SftpChannel {
  private readonly pending = new Set<(err: Error) => void>();

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
      const timer = setTimeout(
        () =>
          reject(
            Object.assign(new Error(`sftp ${op} ${path}: no answer for ${this.timeoutMs} ms`), {
              code: 'ETIMEDOUT',
            }),
          ),
        this.timeoutMs,
      );
      const done = (err: Error | null | undefined, value?: T): void => {
        clearTimeout(timer);
        this.pending.delete(done);
        if (err !== null && err !== undefined) reject(sftpError(err, op, path));
        else resolve(value as T);
      };
      this.pending.add(done);
      try {
        start(done);
      } catch (err) {
        // ssh2 throws synchronously for a closed channel or a path refused here.
        done(err as Error);
      }
    });
  }

  /** The connection closed: every request still waiting fails now (ssh2 may never call back). */
  failAll(err: Error): void {
    for (const done of [...this.pending]) done(err);
  }
}

/** Requests kept in flight: 64 × 32 KiB, what OpenSSH's own sftp client does by default. */
export const PIPELINE_REQUESTS = 64;
export const REQUEST_BYTES = 32 * 1024;

/**
 * Reads a whole remote file with many requests in flight (one at a time would wait a round
 * trip per 32 KiB) and hashes it in order.
 */
export async function hashOverSftp(
  ch: SftpChannel,
  handle: Buffer,
  path: string,
  signal?: AbortSignal,
): Promise<{ hash: ContentHash; bytes: number }> {
  const hasher = new Xxh128();
  const pending = new Map<number, Promise<Buffer>>();
  let nextRequest = 0;
  let bytes = 0;
  let eof = false;
  const request = (position: number): Promise<Buffer> => {
    const p = ch.call<Buffer>('read', path, (cb) =>
      ch.sftp.read(
        handle,
        Buffer.allocUnsafe(REQUEST_BYTES),
        0,
        REQUEST_BYTES,
        position,
        (err, n, buf) => cb(err, buf.subarray(0, n)),
      ),
    );
    p.catch(() => undefined);
    return p;
  };
  const drain = async (): Promise<void> => {
    await Promise.allSettled(pending.values());
    pending.clear();
  };
  try {
    while (!eof) {
      signal?.throwIfAborted();
      while (pending.size < PIPELINE_REQUESTS) {
        pending.set(nextRequest, request(nextRequest));
        nextRequest += REQUEST_BYTES;
      }
      const data = await (pending.get(bytes) as Promise<Buffer>);
      pending.delete(bytes);
      if (data.byteLength === 0) {
        eof = true;
      } else {
        hasher.update(data);
        bytes += data.byteLength;
        if (data.byteLength < REQUEST_BYTES) {
          // A short read before the end (servers may do that): start the pipeline again from here.
          await drain();
          nextRequest = bytes;
        }
      }
    }
  } finally {
    await drain();
  }
  return { hash: hasher.digest(), bytes };
}
