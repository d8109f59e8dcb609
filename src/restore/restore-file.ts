import * as fs from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { FieldBackupError, errorMessage, type ContentHash } from '../core/index.js';
import {
  errnoOf,
  fsyncDir,
  hashFromMedium,
  mkdirDurable,
  placeNoReplace,
  Xxh128,
} from '../platform/index.js';
import { collisionName, type Vault } from '../vault/index.js';

const CHUNK = 4 * 1024 * 1024;
const MAX_NAMES = 10_000;

/** Where one vault keeps a copy of the file. */
export interface VaultCopy {
  readonly vault: Vault;
  readonly path: string;
}

export interface RestoredFile {
  /** Relative to the target folder (a collision name when the wanted one was taken). */
  readonly path: string;
  readonly outcome: 'restored' | 'present';
  readonly vault?: Vault;
  /** Copies that could not be used, and why (the caller reports the fallback). */
  readonly skipped: readonly { readonly vault: Vault; readonly problem: string }[];
}

async function sameBytes(path: string, hash: ContentHash, size: number): Promise<boolean> {
  const st = await fs.stat(path);
  if (!st.isFile() || st.size !== size) return false;
  return (await hashFromMedium(path)).hash === hash;
}

/** Copies one vault file to a temp file beside the target, hashing as it goes; fsync'd. */
async function copyToTemp(
  from: string,
  temp: string,
): Promise<{ hash: ContentHash; bytes: number }> {
  const src = await fs.open(from, 'r');
  try {
    const dst = await fs.open(temp, 'wx', 0o644);
    try {
      const h = new Xxh128();
      const buffer = Buffer.allocUnsafe(CHUNK);
      let bytes = 0;
      for (;;) {
        const { bytesRead } = await src.read(buffer, 0, CHUNK, bytes);
        if (bytesRead === 0) break;
        const chunk = buffer.subarray(0, bytesRead);
        h.update(chunk);
        await dst.write(chunk);
        bytes += bytesRead;
      }
      await dst.sync();
      return { hash: h.digest(), bytes };
    } finally {
      await dst.close();
    }
  } finally {
    await src.close();
  }
}

/**
 * Restores one file to `root/wanted` (or its first free collision name, never overwriting):
 * read from the first vault copy whose bytes hash right (falling back to the next), written
 * to a temp, fsync'd, linked into place, its mtime restored, then read back from the medium
 * and compared with the catalog's xxh128.
 */
export async function restoreFile(
  root: string,
  wanted: string,
  file: { readonly hash: ContentHash; readonly size: number; readonly mtimeMs: number },
  copies: readonly VaultCopy[],
  tempName: string,
): Promise<RestoredFile> {
  let target = wanted;
  for (let attempt = 1; ; attempt++) {
    if (attempt > MAX_NAMES)
      throw new FieldBackupError('E_IO', `no free name for ${wanted} in ${root}`, {
        subject: { path: wanted },
      });
    target = collisionName(wanted, attempt);
    const abs = join(root, target);
    try {
      if (await sameBytes(abs, file.hash, file.size))
        return { path: target, outcome: 'present', skipped: [] };
    } catch (err) {
      if (errnoOf(err) === 'ENOENT') break;
      throw err;
    }
  }
  const final = join(root, target);
  await mkdirDurable(dirname(final));
  const temp = join(dirname(final), `.${basename(tempName)}`);
  const skipped: { vault: Vault; problem: string }[] = [];
  for (const copy of copies) {
    const from = copy.vault.photoPath(copy.path);
    try {
      const got = await copyToTemp(from, temp);
      if (got.hash !== file.hash || got.bytes !== file.size) {
        skipped.push({
          vault: copy.vault,
          problem: `its copy ${copy.path} reads as ${got.hash} (${got.bytes} bytes), the catalog says ${file.hash} (${file.size} bytes)`,
        });
        await fs.rm(temp, { force: true });
        continue;
      }
    } catch (err) {
      await fs.rm(temp, { force: true });
      skipped.push({
        vault: copy.vault,
        problem:
          errnoOf(err) === 'ENOENT'
            ? `its copy ${copy.path} is missing`
            : `cannot read its copy ${copy.path}: ${errorMessage(err)}`,
      });
      continue;
    }
    const placed = await placeAvoidingCollisions(root, target, temp);
    await fs.utimes(join(root, placed), new Date(), new Date(file.mtimeMs));
    await fsyncDir(dirname(join(root, placed)));
    const back = await hashFromMedium(join(root, placed));
    if (back.hash !== file.hash || back.bytes !== file.size) {
      // Our own bad write: removed, never left looking like a good restore.
      await fs.rm(join(root, placed), { force: true });
      throw new FieldBackupError(
        'E_VERIFY_MISMATCH',
        `${placed} read back as ${back.hash} after restoring; removed`,
        { subject: { path: placed } },
      );
    }
    return { path: placed, outcome: 'restored', vault: copy.vault, skipped };
  }
  throw new FieldBackupError(
    'E_COPY_MISSING',
    `no good copy of ${wanted}: ${skipped.map((s) => `vault ${s.vault.label}: ${s.problem}`).join('; ') || 'no vault holds one'}`,
    { subject: { path: wanted } },
  );
}

/** Links the temp into place at `target` or, if that appeared meanwhile, the next free name. */
async function placeAvoidingCollisions(
  root: string,
  target: string,
  temp: string,
): Promise<string> {
  const base = target;
  for (let attempt = 1; attempt <= MAX_NAMES; attempt++) {
    const name = attempt === 1 ? base : collisionName(base, attempt);
    if ((await placeNoReplace(temp, join(root, name))) === 'placed') return name;
  }
  await fs.rm(temp, { force: true });
  throw new FieldBackupError('E_IO', `no free name for ${target} in ${root}`, {
    subject: { path: target },
  });
}
