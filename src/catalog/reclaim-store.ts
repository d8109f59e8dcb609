import type { Database } from 'lmdb';
import type { ContentHash, VaultId } from '../core/index.js';
import type { Catalog } from './catalog.js';
import type { ObjectRecord, PendingMhlRecord } from './records.js';
import type { EconomyRecord } from './stacks-store.js';

/** A copy taken out of the catalog whose file is still to be deleted from its vault. */
export interface ReclaimRecord {
  readonly vaultId: VaultId;
  readonly path: string;
  readonly hash: ContentHash;
  readonly size: number;
}

type PathKey = [VaultId, string];

/**
 * Removing a redundant copy (the stack economy), crash-safe in the catalog's order: one
 * transaction drops the copy from the object and its path, queues the removal for the vault's
 * next ASC MHL generation (a copy no generation lists yet simply leaves the queue), and records
 * a pending reclaim; only then is the file deleted, and the pending record dropped. After a
 * crash, a pending reclaim whose file is still there is finished (the catalog no longer points
 * at it), and the queued removal is written; so the catalog never points at a deleted copy and
 * the vault's history never lacks the record of one.
 */
export class ReclaimStore {
  private readonly objects: Database<ObjectRecord, ContentHash>;
  private readonly paths: Database<ContentHash, PathKey>;
  private readonly mhlPending: Database<PendingMhlRecord, PathKey>;
  private readonly pending: Database<ReclaimRecord, PathKey>;
  private readonly economy: Database<EconomyRecord, ContentHash>;

  constructor(private readonly catalog: Catalog) {
    // The catalog's own databases, opened by name: this store changes them in one transaction.
    this.objects = catalog.openDb('objects');
    this.paths = catalog.openDb('paths');
    this.mhlPending = catalog.openDb('mhl-pending');
    this.pending = catalog.openDb('reclaims');
    this.economy = catalog.openDb('stack-economy');
  }

  /**
   * Takes the copies on `drop` out of the catalog, keeping the object with its other copies;
   * refuses (returns false, changes nothing) unless at least one verified copy stays. With
   * `stack`, the content is recorded in the same transaction as kept on fewer copies by the
   * economy (StacksStore.economyOf), so a crash never leaves it looking short of copies.
   */
  async release(
    hash: ContentHash,
    drop: readonly VaultId[],
    at: number,
    stack?: Pick<EconomyRecord, 'jobId' | 'no'>,
  ): Promise<ReclaimRecord[] | false> {
    const out: ReclaimRecord[] = [];
    const ok = await this.catalog.transaction(() => {
      const obj = this.objects.get(hash);
      if (obj === undefined) return false;
      const copies = { ...obj.copies };
      for (const v of drop) {
        const copy = copies[v];
        if (copy === undefined) continue;
        delete copies[v];
        out.push({ vaultId: v, path: copy.path, hash, size: obj.size });
      }
      if (Object.keys(copies).length === 0) return false;
      for (const r of out) {
        const key: PathKey = [r.vaultId, r.path];
        this.paths.removeSync(key);
        const queued = this.mhlPending.get(key);
        if (queued !== undefined && queued.removed !== true) this.mhlPending.removeSync(key);
        else
          this.mhlPending.putSync(key, {
            path: r.path,
            hash,
            size: r.size,
            removed: true,
            removedAt: at,
          });
        this.pending.putSync(key, r);
      }
      this.objects.putSync(hash, { ...obj, copies });
      if (stack !== undefined)
        this.economy.putSync(hash, { ...stack, copies: Object.keys(copies).length, at });
      return true;
    });
    if (!ok) return false;
    await this.catalog.flushed();
    return out;
  }

  /** The file is gone from its vault. */
  async done(r: ReclaimRecord): Promise<void> {
    await this.pending.remove([r.vaultId, r.path]);
  }

  pendingOn(vaultId: VaultId): ReclaimRecord[] {
    return [...this.pending.getRange({ start: [vaultId], end: [`${vaultId}\u0000`] })].map(
      (e) => e.value,
    );
  }
}
