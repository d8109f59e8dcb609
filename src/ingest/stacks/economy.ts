import { ReclaimStore, type Catalog, type StackRecord } from '../../catalog/index.js';
import {
  errorMessage,
  type Clock,
  type ContentHash,
  type JobId,
  type SourceId,
  type VaultId,
} from '../../core/index.js';
import { reserveBytes } from '../../tiers/index.js';
import type { Vault } from '../../vault/index.js';
import { lockVaults } from '../locked-vaults.js';
import { Picks } from '../pick-copies.js';
import { deleteReleased, finishReclaims, recordRemovals } from '../reclaim.js';
import type { EconomyPolicy } from './config.js';

export interface EconomyOptions {
  readonly catalog: Catalog;
  readonly policy: EconomyPolicy;
  /** Vault roots; copies are removed only from vaults that open and lock. */
  readonly vaults: readonly string[];
  readonly clock: Clock;
}

export interface EconomyResult {
  readonly copies: number;
  readonly bytes: number;
  readonly skipped?: string;
  /** Vaults whose ASC MHL generation recording the removals could not be written yet. */
  readonly problems?: readonly string[];
}

/**
 * The stack economy for one job's stacks: every frame but the pick, in the policy's tiers,
 * keeps one verified copy; the others are taken out of the catalog first (crash-safe, see
 * ReclaimStore), then deleted, and each vault's ASC MHL history records the removals in a new
 * generation. Never a pick's content (a file that is a pick on another card, or that the
 * photographer flagged as a pick, keeps every copy), never the last copy. Runs with the vaults
 * locked, so no ingest writes to them meanwhile.
 */
export async function applyEconomy(
  jobId: JobId,
  sourceId: SourceId,
  records: readonly StackRecord[],
  options: EconomyOptions,
): Promise<EconomyResult> {
  if (options.policy.mode === 'off') return { copies: 0, bytes: 0, skipped: 'economy is off' };
  const { catalog, clock } = options;
  const opened = await lockVaults(options.vaults);
  try {
    if (opened.vaults.length === 0)
      return { copies: 0, bytes: 0, skipped: opened.problems.join('; ') || 'no vault' };
    for (const v of opened.vaults) await finishReclaims(v, catalog, clock);
    if (options.policy.mode === 'when-low' && !(await anyLow(opened.vaults, options.policy)))
      return { copies: 0, bytes: 0, skipped: 'every vault has room' };
    const reclaim = new ReclaimStore(catalog);
    const picked = new Picks(catalog);
    const picks = new Set<ContentHash>();
    for (const s of records) for (const f of s.frames[s.pick]?.files ?? []) picks.add(f.hash);
    const order = new Map(opened.vaults.map((v, i) => [v.id, i]));
    const removedOn = new Map<Vault, number>();
    let copies = 0;
    let bytes = 0;
    for (const s of records) {
      for (const [i, frame] of s.frames.entries()) {
        if (i === s.pick) continue;
        for (const f of frame.files) {
          const tier = catalog.file(sourceId, f.relPath)?.tier;
          if (tier === undefined || !options.policy.tiers.includes(tier)) continue;
          if (picks.has(f.hash) || picked.has(f.hash)) continue;
          const held = Object.keys(catalog.object(f.hash)?.copies ?? {}) as VaultId[];
          // The copy kept is on a vault opened here (first in the order given), so it is known
          // to be there; copies are dropped only on vaults held locked.
          const present = held.filter((v) => order.has(v));
          const keep = present.sort(
            (a, b) => (order.get(a) as number) - (order.get(b) as number),
          )[0];
          const drop = present.filter((v) => v !== keep);
          if (keep === undefined || drop.length === 0) continue;
          const released = await reclaim.release(f.hash, drop, clock.now().getTime(), {
            jobId,
            no: s.no,
          });
          if (released === false) continue;
          for (const r of released) {
            const vault = opened.vaults.find((v) => v.id === r.vaultId) as Vault;
            await deleteReleased(vault, catalog, [r]);
            removedOn.set(vault, (removedOn.get(vault) ?? 0) + 1);
            copies++;
            bytes += r.size;
          }
        }
      }
    }
    const problems: string[] = [];
    for (const [vault, n] of removedOn) {
      try {
        await recordRemovals(
          vault,
          catalog,
          clock,
          `stack economy: ${n} extra copies of non-pick frames removed`,
        );
      } catch (err) {
        problems.push(
          `vault ${vault.label}: the ASC MHL generation recording ${n} removed copies was not written (${errorMessage(err)}); it is written when the vault is next opened`,
        );
      }
    }
    const done = { copies, bytes, ...(problems.length > 0 ? { problems } : {}) };
    return copies === 0 && opened.problems.length > 0
      ? { ...done, skipped: opened.problems.join('; ') }
      : done;
  } finally {
    await opened.release();
  }
}

async function anyLow(vaults: readonly Vault[], policy: EconomyPolicy): Promise<boolean> {
  for (const v of vaults) {
    const { freeBytes, capacityBytes } = await v.space();
    if (freeBytes < reserveBytes(policy.below, capacityBytes)) return true;
  }
  return false;
}
