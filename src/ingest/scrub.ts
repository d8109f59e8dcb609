import type { Catalog } from '../catalog/index.js';
import {
  systemClock,
  type Clock,
  type ContentHash,
  type CopyProblem,
  type ScrubEvent,
} from '../core/index.js';
import { errnoOf } from '../platform/index.js';
import type { Vault, VaultIo } from '../vault/index.js';
import { checkHistories, reconcileVaults } from './scrub-reconcile.js';
import { copyBetweenVaults } from './vault-copy.js';
import { VaultSet } from './vault-set.js';

export interface ScrubOptions {
  readonly vaults: readonly string[];
  readonly catalog: Catalog;
  readonly clock?: Clock;
  readonly vaultIo?: VaultIo;
  readonly onEvent?: (event: ScrubEvent) => void;
}

type Check =
  | { readonly ok: true }
  | { readonly ok: false; readonly problem: CopyProblem; readonly detail: string };

/**
 * Re-reads every copy the catalog knows on the given vaults from the medium, compares it with
 * the catalog, and repairs a bad or missing copy from a good one on another vault (the bad
 * file goes to quarantine, never deleted). Like every vault open it first finishes the stack
 * economy's interrupted removals and copies picks back where a copy is missing; last, each
 * vault is checked against its ASC MHL history.
 */
export async function scrub(
  options: ScrubOptions,
): Promise<Extract<ScrubEvent, { event: 'done' }>> {
  const clock = options.clock ?? systemClock;
  const emit = (e: ScrubEvent): void => options.onEvent?.(e);
  const started = clock.monotonicMs();
  const { catalog } = options;
  const vaults = await VaultSet.open(options.vaults, catalog, options.vaultIo);
  const totals = { checked: 0, ok: 0, repaired: 0, unrepairable: 0, mhlProblems: 0 };
  try {
    const open = vaults.available();
    for (const problem of vaults.initialProblems()) {
      emit({
        event: 'error',
        code: problem.code,
        message: problem.message,
        vault: problem.subject.vault ?? '',
      });
    }
    const reconciled = await reconcileVaults(open, catalog, clock);
    totals.repaired += reconciled.repaired;
    totals.unrepairable += reconciled.failed;
    const objects = [...catalog.allObjects()].filter(({ record }) =>
      open.some((v) => record.copies[v.id] !== undefined),
    );
    emit({
      event: 'start',
      vaults: open.map((v) => v.ref),
      copies: objects.reduce((n, o) => n + open.filter((v) => o.record.copies[v.id]).length, 0),
    });
    reconciled.events.forEach(emit);
    for (const { hash, record } of objects) {
      const checks = new Map<Vault, Check>();
      for (const vault of open) {
        const copy = record.copies[vault.id];
        if (copy === undefined) continue;
        const check = await checkCopy(vault, copy.path, hash, record.size);
        checks.set(vault, check);
        totals.checked++;
        if (check.ok) {
          totals.ok++;
          await catalog.markVerified(hash, vault.id, clock.now().getTime());
        } else {
          emit({
            event: 'problem',
            vault: vault.label,
            path: copy.path,
            hash,
            problem: check.problem,
            detail: check.detail,
          });
        }
      }
      const good = [...checks].find(([, c]) => c.ok)?.[0];
      for (const [vault, check] of checks) {
        if (check.ok) continue;
        const path = record.copies[vault.id]?.path ?? '';
        if (good === undefined) {
          totals.unrepairable++;
          emit({
            event: 'error',
            code: 'E_VERIFY_MISMATCH',
            message: `${path} on vault ${vault.label} is ${check.problem} and no vault has a good copy`,
            vault: vault.label,
            path,
          });
          continue;
        }
        try {
          const quarantined =
            check.problem === 'missing' ? undefined : await vault.quarantine(path, clock.now());
          await copyBetweenVaults(
            { vault: good, path: record.copies[good.id]?.path ?? '' },
            { vault, path },
            hash,
            { tempName: `scrub-${clock.now().getTime()}.part`, clock },
          );
          await catalog.markVerified(hash, vault.id, clock.now().getTime());
          totals.repaired++;
          emit({
            event: 'repaired',
            vault: vault.label,
            path,
            from: good.label,
            ...(quarantined === undefined ? {} : { quarantined }),
          });
        } catch (err) {
          totals.unrepairable++;
          const problem = vault.problem(err, `cannot repair ${path}`, path);
          emit({
            event: 'error',
            code: problem.code,
            message: problem.message,
            vault: vault.label,
            path,
          });
        }
      }
    }
    totals.mhlProblems = await checkHistories(open, emit);
  } finally {
    await vaults.release();
  }
  const done = {
    event: 'done' as const,
    ...totals,
    durationMs: Math.round(clock.monotonicMs() - started),
    exitCode:
      totals.unrepairable === 0 && totals.mhlProblems === 0 && vaults.initialProblems().length === 0
        ? (0 as const)
        : (1 as const),
  };
  emit(done);
  return done;
}

async function checkCopy(
  vault: Vault,
  path: string,
  hash: ContentHash,
  size: number,
): Promise<Check> {
  try {
    const back = await vault.io.readBack(vault.photoPath(path));
    if (back.hash === hash && back.bytes === size) return { ok: true };
    return {
      ok: false,
      problem: 'mismatch',
      detail: `read ${back.bytes} bytes with xxh128 ${back.hash}, expected ${size} bytes with ${hash}`,
    };
  } catch (err) {
    return errnoOf(err) === 'ENOENT'
      ? { ok: false, problem: 'missing', detail: 'file not found' }
      : { ok: false, problem: 'unreadable', detail: errnoOf(err) ?? String(err) };
  }
}
