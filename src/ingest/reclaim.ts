import * as fs from 'node:fs/promises';
import { dirname } from 'node:path';
import { ReclaimStore, type Catalog, type ReclaimRecord } from '../catalog/index.js';
import type { Clock } from '../core/index.js';
import { errnoOf, fsyncDir } from '../platform/index.js';
import type { MhlGenerationInfo, Vault } from '../vault/index.js';
import { flushMhl } from './mhl-flush.js';

/**
 * Deletes copies the catalog has already let go of (ReclaimStore.release), durably, then
 * forgets the pending reclaims. Call with the vault's lock held.
 */
export async function deleteReleased(
  vault: Vault,
  catalog: Catalog,
  released: readonly ReclaimRecord[],
): Promise<void> {
  const reclaim = new ReclaimStore(catalog);
  for (const r of released) {
    await removeCopy(vault, r.path);
    await reclaim.done(r);
  }
}

/** Writes the ASC MHL generation that records the vault's removals, when it owes one. */
export async function recordRemovals(
  vault: Vault,
  catalog: Catalog,
  clock: Clock,
  comment: string,
): Promise<MhlGenerationInfo | undefined> {
  if (!catalog.pendingMhl(vault.id).some((p) => p.removed === true)) return undefined;
  return flushMhl(vault, catalog, clock, comment);
}

/**
 * Finishes what a crash cut short between the catalog's release of a copy and the generation
 * that records its removal (at every vault open: recovery, the economy, scrub). Returns how
 * many released copies were still to delete.
 */
export async function finishReclaims(
  vault: Vault,
  catalog: Catalog,
  clock: Clock,
): Promise<number> {
  const pending = new ReclaimStore(catalog).pendingOn(vault.id);
  await deleteReleased(vault, catalog, pending);
  await recordRemovals(
    vault,
    catalog,
    clock,
    'stack economy: extra copies of non-pick frames removed (recorded after an interruption)',
  );
  return pending.length;
}

async function removeCopy(vault: Vault, relPath: string): Promise<void> {
  const path = vault.photoPath(relPath);
  try {
    await fs.unlink(path);
  } catch (err) {
    if (errnoOf(err) !== 'ENOENT') throw vault.problem(err, `cannot remove ${relPath}`, relPath);
  }
  await fsyncDir(dirname(path));
}
