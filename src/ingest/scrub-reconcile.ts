import type { Catalog } from '../catalog/index.js';
import { errorMessage, isFieldBackupError, type Clock, type ScrubEvent } from '../core/index.js';
import { checkMhlHistory, type Vault } from '../vault/index.js';
import { copyOwedPicks } from './pick-copies.js';
import { finishReclaims } from './reclaim.js';

/**
 * What scrub puts right before it re-reads the copies, like every vault open: removals of the
 * stack economy a crash left unfinished, and picks that lack a copy on a vault present now
 * (copied back; reported as repairs). Returns the events and how many copies were made or failed.
 */
export async function reconcileVaults(
  vaults: readonly Vault[],
  catalog: Catalog,
  clock: Clock,
): Promise<{ events: ScrubEvent[]; repaired: number; failed: number }> {
  const events: ScrubEvent[] = [];
  let failed = 0;
  for (const vault of vaults) {
    try {
      await finishReclaims(vault, catalog, clock);
    } catch (err) {
      failed++;
      events.push({
        event: 'error',
        code: isFieldBackupError(err) ? err.code : 'E_IO',
        message: `vault ${vault.label}: the stack economy's removals could not be finished: ${errorMessage(err)}`,
        vault: vault.label,
      });
    }
  }
  const picks = await copyOwedPicks(vaults, catalog, clock);
  for (const c of picks.copied)
    events.push({ event: 'repaired', vault: c.vault, path: c.path, from: c.from });
  for (const p of picks.problems)
    events.push({ event: 'error', code: p.code, message: p.message, vault: p.vault, path: p.path });
  return { events, repaired: picks.copied.length, failed: failed + picks.problems.length };
}

/**
 * Checks each vault against its own ASC MHL history, as `ascmhl verify` would: the chain
 * holds, and every listed file is there unless recorded as removed. Returns the problems found.
 */
export async function checkHistories(
  vaults: readonly Vault[],
  emit: (e: ScrubEvent) => void,
): Promise<number> {
  let problems = 0;
  for (const vault of vaults) {
    let found;
    try {
      found = (await checkMhlHistory(vault.paths.photos, vault.paths.mhl)).problems;
    } catch (err) {
      found = [{ kind: 'chain' as const, file: vault.paths.mhl, detail: errorMessage(err) }];
    }
    for (const p of found) {
      problems++;
      emit({
        event: 'mhl-problem',
        vault: vault.label,
        kind: p.kind,
        path: p.kind === 'chain' ? p.file : p.path,
        detail: p.detail,
      });
    }
  }
  return problems;
}
