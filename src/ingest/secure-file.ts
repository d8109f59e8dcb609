import * as fs from 'node:fs/promises';
import { dirname } from 'node:path';
import type { FileRecord, NewCopy } from '../catalog/index.js';
import {
  FieldBackupError,
  isFieldBackupError,
  type ContentHash,
  type FileOutcome,
  type VaultId,
} from '../core/index.js';
import { fsyncDir, mkdirDurable, Xxh128 } from '../platform/index.js';
import { writeToVaults, type Vault } from '../vault/index.js';
import { choosePaths } from './choose-path.js';
import type { IngestContext } from './context.js';
import type { PlannedFile } from './plan.js';

/** How often a copy that reads back wrong is written again before that vault gives up on the file. */
const MAX_WRITES = 3;

export interface SecuredFile {
  readonly outcome: FileOutcome;
  readonly hash: ContentHash;
  readonly bytesWritten: number;
  /** Vault id → vault-relative path of every verified copy the file has now. */
  readonly copies: ReadonlyMap<VaultId, string>;
}

/**
 * Secures one source file on every available vault, by DESIGN.md's write protocol:
 * temp on every vault in one read (hashing as it goes) → fsync → intent (flushed) → rename
 * that never replaces → fsync dir → read back from the medium → one catalog transaction.
 * Throws a FieldBackupError only for problems of the source file; vault problems drop that
 * vault and the file ends with fewer copies.
 */
export async function secureFile(ctx: IngestContext, file: PlannedFile): Promise<SecuredFile> {
  const { catalog, sourceId } = ctx;
  const entry = file.entry;
  if (ctx.vaults.available().length === 0) {
    throw new FieldBackupError('E_VAULT_MISSING', `no vault is available for ${entry.relPath}`, {
      subject: { path: entry.relPath },
    });
  }
  const known = catalog.file(sourceId, entry.relPath);
  let hash: ContentHash | undefined;
  if (
    known !== undefined &&
    !ctx.paranoid &&
    known.size === entry.size &&
    known.mtimeMs === entry.mtimeMs
  ) {
    hash = known.hash;
  } else if (catalog.hasObjectOfSize(entry.size) || (ctx.paranoid && known !== undefined)) {
    // Content that may already be held is hashed first, so that a duplicate costs a read, not a write.
    hash = await hashSource(ctx, file);
  }
  const lacking = (h: ContentHash | undefined): Vault[] => {
    const copies = h === undefined ? {} : (catalog.object(h)?.copies ?? {});
    return ctx.vaults.available().filter((v) => copies[v.id] === undefined);
  };
  let targets = lacking(hash);
  let bytesWritten = 0;
  const verified: NewCopy[] = [];
  for (let write = 1; targets.length > 0 && write <= MAX_WRITES; write++) {
    const round = await writeRound(ctx, file, targets, hash);
    hash = round.hash;
    bytesWritten += round.bytesWritten;
    verified.push(...round.verified);
    targets = round.retry;
    if (write === MAX_WRITES) {
      for (const vault of targets) {
        ctx.report({
          event: 'error',
          code: 'E_VERIFY_MISMATCH',
          message: `copy of ${entry.relPath} on vault ${vault.label} read back wrong ${MAX_WRITES} times; that vault has no copy of it`,
          path: entry.relPath,
          vault: vault.label,
        });
      }
    }
  }
  const held = hash === undefined ? undefined : catalog.object(hash);
  if (
    hash === undefined ||
    (verified.length === 0 && Object.keys(held?.copies ?? {}).length === 0)
  ) {
    throw new FieldBackupError(
      'E_VAULT_MISSING',
      `${entry.relPath} has no verified copy on any vault`,
      { subject: { path: entry.relPath } },
    );
  }
  const outcome: FileOutcome =
    verified.length > 0 ? 'copied' : known?.hash === hash ? 'unchanged' : 'deduplicated';
  if (outcome === 'unchanged') {
    await catalog.countJob(ctx.jobId, { unchanged: 1 });
  } else {
    const record: FileRecord = {
      sourceId,
      relPath: entry.relPath,
      hash,
      size: entry.size,
      mtimeMs: entry.mtimeMs,
      captureTime: file.captureTime.getTime(),
      tier: file.tier,
      jobId: ctx.jobId,
      recordedAt: ctx.clock.now().getTime(),
    };
    await catalog.commitFile({
      hash,
      size: entry.size,
      copies: verified,
      file: record,
      job: { id: ctx.jobId, delta: { [outcome]: 1, bytesWritten } },
    });
  }
  for (const c of verified) ctx.claims.release(c.vaultId, c.path);
  const copies = new Map<VaultId, string>();
  for (const [vaultId, copy] of Object.entries(catalog.object(hash)?.copies ?? {}))
    copies.set(vaultId as VaultId, copy.path);
  return { outcome, hash, bytesWritten, copies };
}

interface Round {
  readonly hash: ContentHash;
  readonly bytesWritten: number;
  readonly verified: NewCopy[];
  /** Vaults whose copy read back wrong and was moved aside: write again. */
  readonly retry: Vault[];
}

async function writeRound(
  ctx: IngestContext,
  file: PlannedFile,
  targets: readonly Vault[],
  expected: ContentHash | undefined,
): Promise<Round> {
  const entry = file.entry;
  const written = await writeToVaults(
    countBytes(ctx, ctx.source.read(entry)),
    targets,
    ctx.nextTempName(),
    entry.mtimeMs,
  );
  for (const vault of targets) {
    const problem = written.failed.get(vault.id);
    if (problem !== undefined) dropVault(ctx, vault, problem, entry.relPath);
  }
  const hash = written.hash;
  if (hash === undefined) {
    throw new FieldBackupError(
      'E_VAULT_MISSING',
      `every vault failed while ${entry.relPath} was copied`,
      { subject: { path: entry.relPath } },
    );
  }
  const withTemp = targets.filter((v) => written.temps.has(v.id));
  if (expected !== undefined && hash !== expected) {
    await Promise.all(withTemp.map((v) => fs.rm(written.temps.get(v.id) ?? '', { force: true })));
    throw new FieldBackupError(
      'E_SOURCE_CHANGED',
      `${entry.relPath} read differently twice (${expected} then ${hash}); the card may be failing`,
      {
        subject: { path: entry.relPath },
        retryable: true,
      },
    );
  }
  const paths = await choosePathsDroppingFailures(ctx, file, hash, withTemp);
  const placing = withTemp.filter((v) => paths.has(v.id));
  const now = ctx.clock.now().getTime();
  await ctx.catalog.recordIntents(
    placing.map((v) => ({
      vaultId: v.id,
      path: paths.get(v.id) ?? '',
      hash,
      size: entry.size,
      jobId: ctx.jobId,
      createdAt: now,
    })),
  );
  const verified: NewCopy[] = [];
  const retry: Vault[] = [];
  await Promise.all(
    placing.map(async (vault) => {
      const rel = paths.get(vault.id) ?? '';
      const final = vault.photoPath(rel);
      try {
        await mkdirDurable(dirname(final));
        if ((await vault.io.place(written.temps.get(vault.id) ?? '', final)) === 'exists') {
          throw new FieldBackupError(
            'E_IO',
            `${rel} appeared on vault ${vault.label} while it was being placed; not overwritten`,
            {
              subject: { vault: vault.label, path: rel },
            },
          );
        }
        await fsyncDir(dirname(final));
        const back = await vault.io.readBack(final);
        if (back.hash === hash && back.bytes === entry.size) {
          const st = await fs.stat(final);
          verified.push({
            vaultId: vault.id,
            path: rel,
            verifiedAt: ctx.clock.now().getTime(),
            modifiedMs: st.mtimeMs,
          });
          return;
        }
        await vault.quarantine(rel, ctx.clock.now());
        await ctx.catalog.dropIntents([{ vaultId: vault.id, path: rel }]);
        ctx.claims.release(vault.id, rel);
        ctx.report({
          event: 'warning',
          code: 'E_VERIFY_MISMATCH',
          message: `copy of ${entry.relPath} on vault ${vault.label} read back wrong (${back.hash}, expected ${hash}); moved to quarantine and written again`,
          path: entry.relPath,
          vault: vault.label,
        });
        retry.push(vault);
      } catch (err) {
        await fs.rm(written.temps.get(vault.id) ?? '', { force: true }).catch(() => undefined);
        ctx.claims.release(vault.id, rel);
        dropVault(ctx, vault, vault.problem(err, `cannot place ${rel}`, rel), entry.relPath);
      }
    }),
  );
  return { hash, bytesWritten: written.bytes * withTemp.length, verified, retry };
}

async function choosePathsDroppingFailures(
  ctx: IngestContext,
  file: PlannedFile,
  hash: ContentHash,
  vaults: readonly Vault[],
): Promise<Map<VaultId, string>> {
  let remaining = [...vaults];
  for (;;) {
    try {
      return await choosePaths(ctx, file, hash, remaining);
    } catch (err) {
      const failing = remaining.find(
        (v) => isFieldBackupError(err) && err.subject.vault === v.label,
      );
      if (failing === undefined) throw err;
      dropVault(ctx, failing, err as FieldBackupError, file.entry.relPath);
      remaining = remaining.filter((v) => v !== failing);
    }
  }
}

function dropVault(
  ctx: IngestContext,
  vault: Vault,
  problem: FieldBackupError,
  relPath: string,
): void {
  if (ctx.vaults.disable(vault, problem)) {
    ctx.report({
      event: 'error',
      code: problem.code,
      message: `${problem.message}; continuing without vault ${vault.label}`,
      path: relPath,
      vault: vault.label,
    });
  }
}

async function hashSource(ctx: IngestContext, file: PlannedFile): Promise<ContentHash> {
  const h = new Xxh128();
  for await (const chunk of countBytes(ctx, ctx.source.read(file.entry))) h.update(chunk);
  return h.digest();
}

async function* countBytes(
  ctx: IngestContext,
  chunks: AsyncIterable<Uint8Array>,
): AsyncIterable<Uint8Array> {
  for await (const chunk of chunks) {
    ctx.onBytesRead(chunk.byteLength);
    yield chunk;
  }
}
