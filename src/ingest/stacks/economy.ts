import * as fs from 'node:fs/promises';
import { dirname } from 'node:path';
import {
  ReclaimStore,
  type Catalog,
  type StackRecord,
  type StacksStore,
} from '../../catalog/index.js';
import {
  errorMessage,
  type Clock,
  type ContentHash,
  type JobId,
  type SourceId,
  type VaultId,
} from '../../core/index.js';
import { errnoOf, fsyncDir } from '../../platform/index.js';
import { reserveBytes } from '../../tiers/index.js';
import { Vault, type VaultLock } from '../../vault/index.js';
import type { EconomyPolicy } from './config.js';

export interface EconomyOptions {
  readonly catalog: Catalog;
  readonly stacks: StacksStore;
  readonly policy: EconomyPolicy;
  /** Vault roots; copies are removed only from vaults that open and lock. */
  readonly vaults: readonly string[];
  readonly clock: Clock;
}

export interface EconomyResult {
  readonly copies: number;
  readonly bytes: number;
  readonly skipped?: string;
}

/**
 * The stack economy for one job's stacks: every frame but the pick, in the policy's tiers,
 * keeps one verified copy; the others are taken out of the catalog first (crash-safe, see
 * ReclaimStore), then deleted. Never a pick's content (a file that is a pick on another card
 * too keeps every copy), never the last copy. Runs with the vaults locked, so no ingest
 * writes to them meanwhile.
 */
export async function applyEconomy(
  jobId: JobId,
  sourceId: SourceId,
  records: readonly StackRecord[],
  options: EconomyOptions,
): Promise<EconomyResult> {
  if (options.policy.mode === 'off') return { copies: 0, bytes: 0, skipped: 'economy is off' };
  const opened = await openLocked(options.vaults);
  try {
    if (opened.vaults.length === 0)
      return { copies: 0, bytes: 0, skipped: opened.problems.join('; ') || 'no vault' };
    const reclaim = new ReclaimStore(options.catalog);
    for (const v of opened.vaults) await finishReclaims(reclaim, v);
    if (options.policy.mode === 'when-low' && !(await anyLow(opened.vaults, options.policy)))
      return { copies: 0, bytes: 0, skipped: 'every vault has room' };
    const picks = new Set<ContentHash>();
    for (const s of records) for (const f of s.frames[s.pick]?.files ?? []) picks.add(f.hash);
    const order = new Map(opened.vaults.map((v, i) => [v.id, i]));
    let copies = 0;
    let bytes = 0;
    for (const s of records) {
      for (const [i, frame] of s.frames.entries()) {
        if (i === s.pick) continue;
        for (const f of frame.files) {
          const tier = options.catalog.file(sourceId, f.relPath)?.tier;
          if (tier === undefined || !options.policy.tiers.includes(tier)) continue;
          if (picks.has(f.hash) || options.stacks.role(f.hash)?.pick === true) continue;
          const held = Object.keys(options.catalog.object(f.hash)?.copies ?? {}) as VaultId[];
          // The copy kept is on a vault opened here (first in the order given), so it is known
          // to be there; copies are dropped only on vaults held locked.
          const present = held.filter((v) => order.has(v));
          const keep = present.sort(
            (a, b) => (order.get(a) as number) - (order.get(b) as number),
          )[0];
          const drop = present.filter((v) => v !== keep);
          if (keep === undefined || drop.length === 0) continue;
          const released = await reclaim.release(f.hash, drop);
          if (released === false) continue;
          for (const r of released) {
            const vault = opened.vaults.find((v) => v.id === r.vaultId) as Vault;
            await removeCopy(vault, r.path);
            await reclaim.done(r);
            copies++;
            bytes += r.size;
          }
          await options.stacks.setEconomy(f.hash, {
            copies: held.length - released.length,
            jobId,
            no: s.no,
            at: options.clock.now().getTime(),
          });
        }
      }
    }
    return copies === 0 && opened.problems.length > 0
      ? { copies, bytes, skipped: opened.problems.join('; ') }
      : { copies, bytes };
  } finally {
    await Promise.all(opened.locks.map((l) => l.release()));
  }
}

async function openLocked(
  roots: readonly string[],
): Promise<{ vaults: Vault[]; locks: VaultLock[]; problems: string[] }> {
  const vaults: Vault[] = [];
  const locks: VaultLock[] = [];
  const problems: string[] = [];
  for (const root of roots) {
    try {
      const vault = await Vault.open(root);
      locks.push(await vault.lock());
      vaults.push(vault);
    } catch (err) {
      problems.push(`vault ${root}: ${errorMessage(err)}`);
    }
  }
  return { vaults, locks, problems };
}

/** Deletes what a crash left between the catalog transaction and the deletion. */
async function finishReclaims(reclaim: ReclaimStore, vault: Vault): Promise<void> {
  for (const r of reclaim.pendingOn(vault.id)) {
    await removeCopy(vault, r.path);
    await reclaim.done(r);
  }
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

async function anyLow(vaults: readonly Vault[], policy: EconomyPolicy): Promise<boolean> {
  for (const v of vaults) {
    const { freeBytes, capacityBytes } = await v.space();
    if (freeBytes < reserveBytes(policy.below, capacityBytes)) return true;
  }
  return false;
}
