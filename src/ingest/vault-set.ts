import type { Catalog } from '../catalog/index.js';
import {
  FieldBackupError,
  isFieldBackupError,
  type ErrorCode,
  type VaultId,
  type VaultRef,
} from '../core/index.js';
import { Vault, type VaultIo, type VaultLock } from '../vault/index.js';

interface Slot {
  readonly root: string;
  readonly vault?: Vault;
  readonly lock?: VaultLock;
  problem?: FieldBackupError;
}

/** Conditions of one vault that a job survives by going on without it. */
const UNAVAILABLE: ReadonlySet<ErrorCode> = new Set([
  'E_VAULT_MISSING',
  'E_VAULT_READ_ONLY',
  'E_NO_SPACE',
  'E_IO',
]);

export type VaultStatus = VaultRef & { readonly available: boolean; readonly problem?: string };

/**
 * The vaults of one job: opened and locked, and which of them are still usable. A vault that
 * fails is dropped for the rest of the job; the others go on.
 */
export class VaultSet {
  private constructor(private readonly slots: Slot[]) {}

  /**
   * Opens and locks every vault. A folder that is not a vault, a vault given twice or one in
   * use by another process is an error for the whole job; a missing or read-only vault is
   * recorded as unavailable and the job goes on without it.
   */
  static async open(roots: readonly string[], catalog: Catalog, io?: VaultIo): Promise<VaultSet> {
    const slots: Slot[] = [];
    try {
      for (const root of roots) slots.push(await openSlot(root, slots, io));
    } catch (err) {
      await new VaultSet(slots).release();
      throw err;
    }
    const set = new VaultSet(slots);
    await set.remember(catalog);
    return set;
  }

  available(): Vault[] {
    return this.slots
      .filter((s) => s.problem === undefined && s.vault !== undefined)
      .map((s) => s.vault as Vault);
  }

  /** Drops a vault for the rest of the job. Returns false when it was already dropped. */
  disable(vault: Vault, problem: FieldBackupError): boolean {
    const slot = this.slots.find((s) => s.vault === vault);
    if (slot === undefined || slot.problem !== undefined) return false;
    slot.problem = problem;
    return true;
  }

  /** Problems of vaults that were unavailable from the start. */
  initialProblems(): FieldBackupError[] {
    return this.slots
      .filter((s) => s.lock === undefined && s.problem !== undefined)
      .map((s) => s.problem as FieldBackupError);
  }

  status(catalog: Catalog): VaultStatus[] {
    return this.slots.map((s) => {
      const known = s.vault === undefined ? findByRoot(catalog, s.root) : undefined;
      const ref: VaultRef = s.vault?.ref ?? {
        id: (known?.id ?? '') as VaultId,
        label: known?.label ?? s.root,
        root: s.root,
      };
      return {
        ...ref,
        available: s.problem === undefined,
        ...(s.problem === undefined ? {} : { problem: s.problem.message }),
      };
    });
  }

  async release(): Promise<void> {
    await Promise.all(this.slots.map(async (s) => s.lock?.release().catch(() => undefined)));
  }

  private async remember(catalog: Catalog): Promise<void> {
    const now = Date.now();
    await Promise.all(
      this.available().map((v) =>
        catalog.putVault({ id: v.id, label: v.label, lastRoot: v.root, lastSeen: now }),
      ),
    );
  }
}

async function openSlot(
  root: string,
  opened: readonly Slot[],
  io: VaultIo | undefined,
): Promise<Slot> {
  let vault: Vault;
  try {
    vault = await Vault.open(root, io);
  } catch (err) {
    if (!isFieldBackupError(err) || !UNAVAILABLE.has(err.code)) throw err;
    return { root, problem: err };
  }
  if (opened.some((s) => s.vault?.id === vault.id)) {
    throw new FieldBackupError('E_USAGE', `vault ${vault.label} (${root}) is given twice`, {
      subject: { vault: root },
    });
  }
  try {
    return { root, vault, lock: await vault.lock() };
  } catch (err) {
    if (isFieldBackupError(err, 'E_VAULT_LOCKED')) throw err;
    return { root, vault, problem: vault.problem(err, 'cannot take the vault lock') };
  }
}

function findByRoot(catalog: Catalog, root: string): { id: VaultId; label: string } | undefined {
  for (const v of catalog.allVaults()) if (v.lastRoot === root) return v;
  return undefined;
}
