import { FieldBackupError, type ContentHash, type VaultId } from '../core/index.js';
import { collisionName, type Vault } from '../vault/index.js';
import type { IngestContext } from './context.js';
import type { PlannedFile } from './plan.js';

const MAX_ATTEMPTS = 10_000;

/**
 * Picks each vault's final path for a file and claims it: the path its content already has
 * on another vault, else the vault's template; then the first collision name that is free
 * (unknown to the catalog, absent on disk, unclaimed) on every vault that renders the same path.
 */
export async function choosePaths(
  ctx: IngestContext,
  file: PlannedFile,
  hash: ContentHash,
  vaults: readonly Vault[],
): Promise<Map<VaultId, string>> {
  const existing = Object.values(ctx.catalog.object(hash)?.copies ?? {})[0]?.path;
  const groups = new Map<string, Vault[]>();
  for (const vault of vaults) {
    const base =
      existing ??
      vault.template.render({
        captureTime: file.captureTime,
        source: ctx.sourceName,
        relPath: file.entry.relPath,
        ...(file.camera === undefined ? {} : { camera: file.camera }),
      });
    groups.set(base, [...(groups.get(base) ?? []), vault]);
  }
  const chosen = new Map<VaultId, string>();
  for (const [base, group] of groups) {
    const path = await firstFree(ctx, base, group);
    for (const vault of group) {
      ctx.claims.claim(vault.id, path);
      chosen.set(vault.id, path);
    }
  }
  return chosen;
}

async function firstFree(
  ctx: IngestContext,
  base: string,
  group: readonly Vault[],
): Promise<string> {
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const candidate = collisionName(base, attempt);
    let free = true;
    for (const vault of group) {
      if (
        ctx.claims.has(vault.id, candidate) ||
        ctx.catalog.pathOwner(vault.id, candidate) !== undefined ||
        (await vault.exists(candidate))
      ) {
        free = false;
        break;
      }
    }
    if (free) return candidate;
  }
  throw new FieldBackupError('E_IO', `no free name for ${base} after ${MAX_ATTEMPTS} attempts`, {
    subject: { path: base },
  });
}
