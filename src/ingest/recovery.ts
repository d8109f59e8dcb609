import * as fs from 'node:fs/promises';
import type { Catalog } from '../catalog/index.js';
import type { Clock, VaultId } from '../core/index.js';
import type { Vault } from '../vault/index.js';

export interface RecoveryReport {
  readonly vault: string;
  /** Temporaries (.part files) removed. */
  readonly temporaries: number;
  /** Copies that were renamed into place before a crash and turned out complete: now recorded. */
  readonly adopted: number;
  /** Copies found incomplete or wrong: moved to quarantine. */
  readonly quarantined: number;
}

/**
 * Brings a vault back to a state the catalog explains, after any crash (call with its lock
 * held): temporaries go; every pending intent is resolved by reading its file back.
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
  return { vault: vault.label, temporaries, adopted, quarantined };
}

/** Jobs still "running" on a vault whose lock we now hold cannot be running: they were cut off. */
async function markInterrupted(catalog: Catalog, vaultId: VaultId, clock: Clock): Promise<void> {
  for (const job of catalog.allJobs()) {
    if (job.state === 'running' && job.vaults.includes(vaultId)) {
      await catalog.putJob({ ...job, state: 'interrupted', endedAt: clock.now().getTime() });
    }
  }
}
