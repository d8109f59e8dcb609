import type { FileHandle } from 'node:fs/promises';
import * as fs from 'node:fs/promises';
import type { ContentHash, FieldBackupError, VaultId } from '../core/index.js';
import { Xxh128 } from '../platform/index.js';
import type { Vault } from './vault.js';

export interface MultiWriteResult {
  /** Hash of the source bytes, present when the source was read to its end. */
  readonly hash?: ContentHash;
  readonly bytes: number;
  /** Temp file per vault that holds all bytes, fsync'd and closed. */
  readonly temps: ReadonlyMap<VaultId, string>;
  readonly failed: ReadonlyMap<VaultId, FieldBackupError>;
}

interface Target {
  readonly vault: Vault;
  readonly tmpPath: string;
  handle?: FileHandle;
  error?: FieldBackupError;
}

/**
 * Reads a source once and writes it to a temp file on every vault at once, hashing in the
 * same pass; the slowest vault sets the pace. A failing vault is dropped (its temp removed)
 * and the others carry on. A source error removes every temp and is rethrown.
 */
export async function writeToVaults(
  chunks: AsyncIterable<Uint8Array>,
  vaults: readonly Vault[],
  tempName: string,
  /** The source's modification time (ms, as fs.Stats gives it), given to every copy: photo tools sort by it. */
  mtimeMs: number,
): Promise<MultiWriteResult> {
  const targets: Target[] = vaults.map((vault) => ({ vault, tmpPath: vault.tempPath(tempName) }));
  await Promise.all(
    targets.map(async (t) => {
      try {
        t.handle = await t.vault.io.createTemp(t.tmpPath);
      } catch (err) {
        t.error = t.vault.problem(err, 'cannot create a temporary file');
      }
    }),
  );
  const live = (): Target[] => targets.filter((t) => t.error === undefined);
  const hasher = new Xxh128();
  let bytes = 0;
  let complete = false;
  const iterator = chunks[Symbol.asyncIterator]();
  try {
    // One chunk is read ahead while the previous one is being written. Its failure is observed
    // when it is awaited; marking it handled now keeps it from being an unhandled rejection meanwhile.
    const readAhead = (): Promise<IteratorResult<Uint8Array>> => {
      const next = iterator.next();
      next.catch(() => undefined);
      return next;
    };
    let pending = readAhead();
    while (live().length > 0) {
      const step = await pending;
      if (step.done === true) {
        complete = true;
        break;
      }
      pending = readAhead();
      hasher.update(step.value);
      bytes += step.value.byteLength;
      await Promise.all(live().map((t) => writeChunk(t, step.value)));
    }
    if (!complete) await iterator.return?.();
  } catch (err) {
    await Promise.all(targets.map(discard));
    throw err;
  }
  await Promise.all(live().map((t) => finish(t, mtimeMs / 1000)));
  await Promise.all(targets.filter((t) => t.error !== undefined).map(discard));
  const temps = new Map<VaultId, string>();
  const failed = new Map<VaultId, FieldBackupError>();
  for (const t of targets) {
    if (t.error === undefined) temps.set(t.vault.id, t.tmpPath);
    else failed.set(t.vault.id, t.error);
  }
  return { ...(complete ? { hash: hasher.digest() } : {}), bytes, temps, failed };
}

async function writeChunk(t: Target, chunk: Uint8Array): Promise<void> {
  try {
    let offset = 0;
    while (offset < chunk.byteLength) {
      const { bytesWritten } = await t.handle!.write(chunk, offset, chunk.byteLength - offset);
      offset += bytesWritten;
    }
  } catch (err) {
    t.error = t.vault.problem(err, `write to ${t.tmpPath} failed`);
  }
}

async function finish(t: Target, mtimeSeconds: number): Promise<void> {
  try {
    await t.handle!.utimes(mtimeSeconds, mtimeSeconds);
    await t.handle!.sync();
    await t.handle!.close();
    t.handle = undefined;
  } catch (err) {
    t.error = t.vault.problem(err, `fsync of ${t.tmpPath} failed`);
  }
}

/** Best effort: a vault that vanished cannot have its temp removed now; recovery does it later. */
async function discard(t: Target): Promise<void> {
  await t.handle?.close().catch(() => undefined);
  t.handle = undefined;
  await fs.rm(t.tmpPath, { force: true }).catch(() => undefined);
}
