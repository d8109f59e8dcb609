import type { Catalog, PendingMhlListing } from '../catalog/index.js';
import type { Clock } from '../core/index.js';
import { toolVersion } from '../platform/index.js';
import { writeMhlGeneration, type MhlGenerationInfo, type Vault } from '../vault/index.js';

/**
 * Writes one ASC MHL generation with everything the vault's history still owes: every
 * verified copy no generation lists yet (this job's, and any a crash left out), and every
 * listed copy removed on purpose since (in the ignore list, ASC MHL's way to say a file is
 * meant to be absent). Then marks them written.
 */
export async function flushMhl(
  vault: Vault,
  catalog: Catalog,
  clock: Clock,
  comment: string,
): Promise<MhlGenerationInfo | undefined> {
  const pending = catalog
    .pendingMhl(vault.id)
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  if (pending.length === 0) return undefined;
  const listed = pending.filter((p): p is PendingMhlListing => p.removed !== true);
  const info = await writeMhlGeneration(
    vault.paths.mhl,
    listed.map((p) => ({
      path: p.path,
      size: p.size,
      modified: new Date(p.modifiedMs),
      hash: p.hash,
      hashDate: new Date(p.hashedAt),
      action: 'original' as const,
    })),
    {
      now: clock.now(),
      toolVersion: toolVersion(),
      comment,
      removed: pending.filter((p) => p.removed === true).map((p) => p.path),
    },
  );
  await catalog.markMhlWritten(
    vault.id,
    pending.map((p) => p.path),
  );
  return info;
}

/** Whether the vault's history owes the record of a copy removed on purpose. */
export function owesRemovals(catalog: Catalog, vault: Vault): boolean {
  return catalog.pendingMhl(vault.id).some((p) => p.removed === true);
}
