import * as fs from 'node:fs/promises';
import { FieldBackupError, errorMessage, type IngestProblemEvent } from '../core/index.js';
import { Xxh128 } from '../platform/index.js';
import type { BoxObject } from './box-objects.js';
import type { RemoteVault } from './remote-vault.js';
import type { BufferPool } from './sftp-io.js';

/** What sending one SSD copy needs from the run. */
export interface SendContext {
  readonly vault: RemoteVault;
  readonly signal?: AbortSignal;
  /** Read buffers for small and large files, reused from file to file. */
  readonly buffers: { readonly small: BufferPool; readonly large: BufferPool };
  report(
    problem: Omit<IngestProblemEvent, 'event'> & { readonly event: 'warning' | 'error' },
  ): void;
  onBytesSent(bytes: number): void;
}

/** Files up to this size are read with a small buffer. */
export const SMALL_FILE = 256 * 1024;

/** Read failures of the SSD copy, told apart from the NAS's. */
class LocalCopyError extends Error {}

/** The modification time of the first SSD copy that is there (the source's, kept by ingest). */
export async function localMtime(obj: BoxObject): Promise<number> {
  for (const copy of obj.copies) {
    const st = await fs.stat(copy.vault.photoPath(copy.path)).catch(() => undefined);
    if (st !== undefined) return st.mtimeMs;
  }
  throw noLocalCopy(obj);
}

/**
 * Sends an SSD copy to a new temporary on the NAS, hashing it as it is read; the temporary
 * is given the mtime, fsync'd and closed. A copy that cannot be read, or whose bytes are not
 * the object's any more, is reported and the next SSD's copy is tried. Returns the temporary.
 */
export async function sendCopy(ctx: SendContext, obj: BoxObject, mtimeMs: number): Promise<string> {
  const remote = ctx.vault.remote;
  const pool = obj.size <= SMALL_FILE ? ctx.buffers.small : ctx.buffers.large;
  for (const copy of obj.copies) {
    const tmp = ctx.vault.tempPath('obj');
    const hasher = new Xxh128();
    let bytes = 0;
    // A second buffer (to read ahead) only for files that need more than one read.
    const buffers = [
      pool.take(),
      obj.size > 0 && obj.size >= pool.size ? pool.take() : undefined,
    ] as const;
    try {
      const handle = await fs.open(copy.vault.photoPath(copy.path), 'r').catch((err: unknown) => {
        throw new LocalCopyError(errorMessage(err));
      });
      try {
        const file = await remote.create(tmp);
        // The next chunk is read from the SSD while this one goes out (two buffers in turn).
        const read = (i: number, at: number): Promise<Buffer> => {
          const buffer = (i % 2 === 1 ? buffers[1] : undefined) ?? buffers[0];
          const next = handle.read(buffer, 0, buffer.length, at).then(
            ({ bytesRead }) => buffer.subarray(0, bytesRead),
            (err: unknown) => {
              throw new LocalCopyError(errorMessage(err));
            },
          );
          next.catch(() => undefined);
          return next;
        };
        let ahead = read(0, 0);
        try {
          for (let i = 0; ; i++) {
            const chunk = await ahead;
            if (chunk.byteLength === 0) break;
            // With one buffer the next read waits until this chunk is sent.
            const single = buffers[1] === undefined;
            if (!single) ahead = read(i + 1, bytes + chunk.byteLength);
            ctx.signal?.throwIfAborted();
            hasher.update(chunk);
            await file.write(chunk);
            bytes += chunk.byteLength;
            ctx.onBytesSent(chunk.byteLength);
            if (single) ahead = read(i + 1, bytes);
          }
          await file.close({ mtimeMs, fsync: true });
        } catch (err) {
          // The read ahead must be over before its buffer goes back to the pool.
          await ahead.catch(() => undefined);
          await file.abort();
          await remote.remove(tmp).catch(() => undefined);
          throw err;
        }
      } finally {
        await handle.close();
      }
    } catch (err) {
      if (!(err instanceof LocalCopyError)) throw err;
      ctx.report({
        event: 'warning',
        code: 'E_SOURCE_READ',
        message: `cannot read ${copy.path} on vault ${copy.vault.label}: ${err.message}`,
        path: copy.path,
        vault: copy.vault.label,
      });
      continue;
    } finally {
      for (const b of buffers) if (b !== undefined) pool.give(b);
    }
    if (hasher.digest() === obj.hash && bytes === obj.size) return tmp;
    await remote.remove(tmp);
    ctx.report({
      event: 'warning',
      code: 'E_VERIFY_MISMATCH',
      message: `copy of ${copy.path} on vault ${copy.vault.label} is damaged (its content changed since it was verified); run "fieldbackup scrub"`,
      path: copy.path,
      vault: copy.vault.label,
    });
  }
  throw noLocalCopy(obj);
}

function noLocalCopy(obj: BoxObject): FieldBackupError {
  return new FieldBackupError(
    'E_COPY_MISSING',
    `${obj.path} has no readable, intact copy on the SSDs connected now; not synced`,
    { subject: { path: obj.path } },
  );
}
