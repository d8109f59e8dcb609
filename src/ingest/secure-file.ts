import * as fs from 'node:fs/promises';
import { dirname } from 'node:path';
import type { FileRecord, NewCopy } from '../catalog/index.js';
import {
  FieldBackupError,
  isFieldBackupError,
  type ContentHash,
  type FileOutcome,
  type VaultId,
  type VerificationMode,
} from '../core/index.js';
import { fsyncDir, mkdirDurable, Xxh128 } from '../platform/index.js';
import { writeToVaults, type Vault } from '../vault/index.js';
import { choosePaths } from './choose-path.js';
import type { IngestContext } from './context.js';
import { chooseTargets } from './copy-targets.js';
import type { PlannedFile } from './plan.js';

/** How often a copy that reads back wrong is written again before that vault gives up on the file. */
const MAX_WRITES = 3;

export interface SecuredFile {
  readonly outcome: FileOutcome;
  readonly hash: ContentHash;
  readonly bytesWritten: number;
  /** Vault id → vault-relative path of every verified copy the file has now. */
  readonly copies: ReadonlyMap<VaultId, string>;
  /** Why vaults lack a copy its tier requires (empty when none does). */
  readonly shortfalls: readonly string[];
}

/**
 * Secures one source file with the copies its tier requires, by DESIGN.md's write protocol:
 * temp on every target vault in one read (hashing as it goes) → fsync → intent (flushed) →
 * rename that never replaces → fsync dir → read back from the medium (unless the tier accepts
 * the source hash) → one catalog transaction. The targets follow the tier's policy and each
 * vault's reserve (copy-targets.ts). Throws a FieldBackupError for problems of the source file
 * and E_LOW_SPACE for a file that waits for room; vault problems drop that vault (a full vault
 * only for this file) and the file ends with fewer copies.
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
  const policy = ctx.tiers.policy(file.tier);
  const chosen = await chooseTargets(ctx, file, hash, policy);
  const shortfalls = chosen.shortfalls;
  let targets: readonly Vault[] = chosen.claim.vaults;
  let bytesWritten = 0;
  const verified: NewCopy[] = [];
  try {
    for (let write = 1; targets.length > 0 && write <= MAX_WRITES; write++) {
      const round = await writeRound(ctx, file, targets, hash, policy.verification, shortfalls);
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
          shortfalls.push(`the copy on ${vault.label} read back wrong ${MAX_WRITES} times`);
        }
      }
    }
  } finally {
    chosen.claim.release();
  }
  const held = hash === undefined ? undefined : catalog.object(hash);
  if (
    hash === undefined ||
    (verified.length === 0 && Object.keys(held?.copies ?? {}).length === 0)
  ) {
    throw new FieldBackupError(
      'E_VAULT_MISSING',
      `${entry.relPath} has no verified copy on any vault${shortfalls.length > 0 ? `: ${shortfalls.join('; ')}` : ''}`,
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
  return { outcome, hash, bytesWritten, copies, shortfalls };
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
  verification: VerificationMode,
  shortfalls: string[],
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
    if (problem !== undefined) vaultFailed(ctx, vault, problem, entry.relPath, shortfalls);
  }
  const hash = written.hash;
  if (hash === undefined) {
    throw new FieldBackupError(
      'E_VAULT_MISSING',
      `every vault failed while ${entry.relPath} was copied: ${shortfalls.join('; ')}`,
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
  const paths = await choosePathsDroppingFailures(ctx, file, hash, withTemp, shortfalls);
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
        // A tier that accepts the source hash trusts the fsync'd bytes and skips the read-back.
        const back =
          verification === 'read-back'
            ? await vault.io.readBack(final)
            : { hash, bytes: entry.size };
        if (back.hash === hash && back.bytes === entry.size) {
          const st = await fs.stat(final);
          verified.push({
            vaultId: vault.id,
            path: rel,
            verifiedAt: ctx.clock.now().getTime(),
            modifiedMs: st.mtimeMs,
            verification,
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
        const problem = vault.problem(err, `cannot place ${rel}`, rel);
        vaultFailed(ctx, vault, problem, entry.relPath, shortfalls);
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
  shortfalls: string[],
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
      vaultFailed(ctx, failing, err as FieldBackupError, file.entry.relPath, shortfalls);
      remaining = remaining.filter((v) => v !== failing);
    }
  }
}

/**
 * A vault failed for this file. A full vault stays in use (a smaller, more important file may
 * still fit; the space ledger measures it again); any other failure drops it for the job.
 */
function vaultFailed(
  ctx: IngestContext,
  vault: Vault,
  problem: FieldBackupError,
  relPath: string,
  shortfalls: string[],
): void {
  if (problem.code === 'E_NO_SPACE') {
    ctx.space.forget(vault);
    shortfalls.push(`${vault.label} ran out of space while it was copied`);
    ctx.report({
      event: 'error',
      code: 'E_NO_SPACE',
      message: `vault ${vault.label} ran out of space: ${relPath} has no copy there (nothing partial is kept)`,
      path: relPath,
      vault: vault.label,
    });
    return;
  }
  shortfalls.push(`${vault.label} is unavailable`);
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
