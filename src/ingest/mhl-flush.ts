import type { Catalog } from '../catalog/index.js';
import type { Clock } from '../core/index.js';
import { toolVersion } from '../platform/index.js';
import { writeMhlGeneration, type MhlGenerationInfo, type Vault } from '../vault/index.js';

/**
 * Writes one ASC MHL generation listing every verified copy on the vault that no generation
 * lists yet (this job's, and any a crash left out), then marks them listed.
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
  const info = await writeMhlGeneration(
    vault.paths.mhl,
    pending.map((p) => ({
      path: p.path,
      size: p.size,
      modified: new Date(p.modifiedMs),
      hash: p.hash,
      hashDate: new Date(p.hashedAt),
      action: 'original' as const,
    })),
    { now: clock.now(), toolVersion: toolVersion(), comment },
  );
  await catalog.markMhlWritten(
    vault.id,
    pending.map((p) => p.path),
  );
  return info;
}
