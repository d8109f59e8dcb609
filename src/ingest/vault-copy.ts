import * as fs from 'node:fs/promises';
import { dirname } from 'node:path';
import { FieldBackupError, type Clock, type ContentHash } from '../core/index.js';
import { chunksOf, fsyncDir, mkdirDurable } from '../platform/index.js';
import { writeToVaults, type Vault } from '../vault/index.js';

export interface VaultCopyOptions {
  /** Name of the temp in the target's .fieldbackup/tmp/. */
  readonly tempName: string;
  readonly clock: Clock;
  /** Runs once the temp is durable, before its final name is taken (to record an intent). */
  readonly beforePlace?: () => Promise<void>;
}

/**
 * Copies a file from one vault to another by the write protocol: temp on the target (hashed
 * as it is written) → fsync → `beforePlace` (an intent, when the catalog does not know the
 * path yet) → a rename that never replaces → fsync of the directory → read back from the
 * medium. Anything short of a verified copy throws, naming the file and the target vault; the
 * temp never stays behind a failure this process survives, and a copy that reads back wrong
 * goes to quarantine. Returns the mtime the copy carries (the original's).
 */
export async function copyBetweenVaults(
  from: { readonly vault: Vault; readonly path: string },
  to: { readonly vault: Vault; readonly path: string },
  hash: ContentHash,
  options: VaultCopyOptions,
): Promise<number> {
  const target = to.vault;
  const handle = await fs.open(from.vault.photoPath(from.path), 'r');
  let temp: string | undefined;
  let mtimeMs: number;
  try {
    mtimeMs = (await handle.stat()).mtimeMs;
    const result = await writeToVaults(chunksOf(handle), [target], options.tempName, mtimeMs);
    const failure = result.failed.get(target.id);
    if (failure !== undefined) throw failure;
    temp = result.temps.get(target.id);
    if (result.hash !== hash)
      throw new FieldBackupError(
        'E_VERIFY_MISMATCH',
        `${from.path} on vault ${from.vault.label} reads as ${result.hash ?? 'nothing'}, not ${hash}: it changed or rotted (fieldbackup scrub)`,
        { subject: { path: from.path, vault: from.vault.label } },
      );
  } catch (err) {
    if (temp !== undefined) await fs.rm(temp, { force: true });
    throw err;
  } finally {
    await handle.close();
  }
  const final = target.photoPath(to.path);
  try {
    await options.beforePlace?.();
    await mkdirDurable(dirname(final));
    if ((await target.io.place(temp ?? '', final)) === 'exists')
      throw new FieldBackupError(
        'E_IO',
        `vault ${target.label}: ${to.path} exists again; not overwritten`,
        { subject: { path: to.path, vault: target.label } },
      );
    await fsyncDir(dirname(final));
  } catch (err) {
    await fs.rm(temp ?? '', { force: true });
    throw target.problem(err, `cannot place ${to.path}`, to.path);
  }
  const back = await target.io.readBack(final);
  if (back.hash !== hash) {
    const kept = await target.quarantine(to.path, options.clock.now());
    throw new FieldBackupError(
      'E_VERIFY_MISMATCH',
      `vault ${target.label}: the copy of ${to.path} read back as ${back.hash}, not ${hash} (kept in ${kept})`,
      { subject: { path: to.path, vault: target.label } },
    );
  }
  return mtimeMs;
}
