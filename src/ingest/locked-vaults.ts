import { errorMessage } from '../core/index.js';
import { Vault, type VaultLock } from '../vault/index.js';

/** Vaults opened and locked for a short piece of work, and why the others are not. */
export interface LockedVaults {
  readonly vaults: readonly Vault[];
  /** One line per vault that could not be opened or locked (missing, in use). */
  readonly problems: readonly string[];
  release(): Promise<void>;
}

/**
 * Opens and locks each vault it can, for work outside an ingest session (the stack economy,
 * a pick copied back): a vault that is missing or in use by an ingest is left out and named.
 */
export async function lockVaults(roots: readonly string[]): Promise<LockedVaults> {
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
  return {
    vaults,
    problems,
    release: async () => {
      await Promise.all(locks.map((l) => l.release()));
    },
  };
}
