import * as fs from 'node:fs/promises';
import type { Catalog } from '../catalog/index.js';
import {
  errorMessage,
  isFieldBackupError,
  type Clock,
  type ErrorCode,
  type IngestProblemEvent,
  type VaultId,
} from '../core/index.js';
import type { Vault } from '../vault/index.js';
import { finishReclaims } from './reclaim.js';

/** Something opening a vault could not put right, named for the job's events. */
export interface RecoveryProblem {
  readonly code: ErrorCode;
  readonly message: string;
  readonly path?: string;
}

export interface RecoveryReport {
  readonly vault: string;
  /** Temporaries (.part files) removed. */
  readonly temporaries: number;
  /** Copies that were renamed into place before a crash and turned out complete: now recorded. */
  readonly adopted: number;
  /** Copies found incomplete or wrong: moved to quarantine. */
  readonly quarantined: number;
  /** Extra copies the stack economy had let go of and a crash left on disk: deleted now. */
  readonly reclaimed: number;
  /** Files of picks that lacked a copy here, copied from another vault (IngestSession.open). */
  readonly picksCopied: number;
  readonly problems: readonly RecoveryProblem[];
}

/**
 * Brings a vault back to a state the catalog explains, after any crash (call with its lock
 * held): temporaries go; every pending intent is resolved by reading its file back; copies the
 * stack economy released are deleted and their removal is written to the ASC MHL history.
 */
export async function recoverVault(
  vault: Vault,
  catalog: Catalog,
  clock: Clock,
): Promise<RecoveryReport> {
  const temporaries = await vault.removeTemporaries();
  let adopted = 0;
  let quarantined = 0;
  for (const intent of catalog.intentsOf(vault.id)) {
    const path = vault.photoPath(intent.path);
    const st = await fs.stat(path).catch(() => undefined);
    if (st === undefined) {
      await catalog.dropIntents([intent]);
      continue;
    }
    const back = await vault.io.readBack(path);
    if (back.hash === intent.hash && back.bytes === intent.size) {
      await catalog.commitFile({
        hash: intent.hash,
        size: intent.size,
        copies: [
          {
            vaultId: vault.id,
            path: intent.path,
            verifiedAt: clock.now().getTime(),
            modifiedMs: st.mtimeMs,
          },
        ],
      });
      adopted++;
    } else {
      await vault.quarantine(intent.path, clock.now());
      await catalog.dropIntents([intent]);
      quarantined++;
    }
  }
  await markInterrupted(catalog, vault.id, clock);
  const problems: RecoveryProblem[] = [];
  let reclaimed = 0;
  try {
    reclaimed = await finishReclaims(vault, catalog, clock);
  } catch (err) {
    problems.push({
      code: isFieldBackupError(err) ? err.code : 'E_IO',
      message: `vault ${vault.label}: the stack economy's removals could not be finished: ${errorMessage(err)}`,
    });
  }
  return {
    vault: vault.label,
    temporaries,
    adopted,
    quarantined,
    reclaimed,
    picksCopied: 0,
    problems,
  };
}

/** What a job says about a vault's recovery: what was put right (warnings), what was not (errors). */
export function recoveryEvents(r: RecoveryReport): IngestProblemEvent[] {
  const events: IngestProblemEvent[] = [];
  const note = (message: string): void => {
    events.push({ event: 'warning', code: 'E_RECOVERED', message, vault: r.vault });
  };
  if (r.adopted + r.quarantined + r.temporaries > 0)
    note(
      `vault ${r.vault} recovered from an interruption: ${r.adopted} copies adopted, ${r.quarantined} moved to quarantine, ${r.temporaries} temporaries removed`,
    );
  if (r.reclaimed > 0)
    note(
      `vault ${r.vault}: ${r.reclaimed} extra copies the stack economy had let go of were removed after an interruption and recorded in its ASC MHL history`,
    );
  if (r.picksCopied > 0)
    note(
      `vault ${r.vault}: ${r.picksCopied} files of picks were on another vault only and are copied back to it`,
    );
  for (const p of r.problems)
    events.push({
      event: 'error',
      code: p.code,
      message: p.message,
      vault: r.vault,
      ...(p.path === undefined ? {} : { path: p.path }),
    });
  return events;
}

/** Jobs still "running" on a vault whose lock we now hold cannot be running: they were cut off. */
async function markInterrupted(catalog: Catalog, vaultId: VaultId, clock: Clock): Promise<void> {
  for (const job of catalog.allJobs()) {
    if (job.state === 'running' && job.vaults.includes(vaultId)) {
      await catalog.putJob({ ...job, state: 'interrupted', endedAt: clock.now().getTime() });
    }
  }
}
