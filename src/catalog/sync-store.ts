import type { Database, Key } from 'lmdb';
import { newBoxId, type BoxId, type ContentHash, type VaultId } from '../core/index.js';

/** This box as NAS manifests name it; created once, with the catalog. */
export interface BoxIdentity {
  readonly id: BoxId;
  readonly name: string;
  readonly created: number;
}

/** An object this box sent (or found) on a NAS vault and verified there. */
export interface PushedRecord {
  /** Path under the NAS vault's Photos/. */
  readonly path: string;
  readonly size: number;
  /** The modification time it was given (its source's). */
  readonly mtimeMs: number;
  readonly verifiedAt: number;
}

/** The last sync into one NAS vault, for the status screen and `archive status`. */
export interface SyncTargetRecord {
  readonly vaultId: VaultId;
  readonly label: string;
  readonly location: string;
  readonly lastStartedAt: number;
  readonly lastEndedAt?: number;
  readonly lastResult?: {
    readonly files: number;
    readonly sent: number;
    readonly bytesSent: number;
    readonly failed: number;
    readonly interrupted: boolean;
  };
}

/** An SFTP server's host key, pinned the first time the box connected to it. */
export interface PinnedHostKey {
  /** host:port */
  readonly host: string;
  readonly algorithm: string;
  /** OpenSSH style: SHA256:<base64 without padding>. */
  readonly fingerprint: string;
  readonly pinnedAt: number;
}

/** What the store needs of the catalog (kept minimal so the catalog can own the store). */
export interface StoreHost {
  openDb<V, K extends Key>(name: string): Database<V, K>;
  transaction<T>(fn: () => T): Promise<T>;
}

const BOX_KEY = 'box';

/**
 * Sync state in the catalog: the box's id, what it verified on each NAS vault (so an
 * interrupted sync resumes without sending anything twice), the last run per NAS, pinned
 * SFTP host keys. The NAS's own manifests stay the truth; this is the box's journal.
 */
export class SyncStore {
  private readonly meta: Database<BoxIdentity, string>;
  private readonly pushedDb: Database<PushedRecord, [VaultId, ContentHash]>;
  private readonly targets: Database<SyncTargetRecord, VaultId>;
  private readonly hostKeys: Database<PinnedHostKey, string>;

  constructor(private readonly host: StoreHost) {
    this.meta = host.openDb('sync-meta');
    this.pushedDb = host.openDb('sync-pushed');
    this.targets = host.openDb('sync-targets');
    this.hostKeys = host.openDb('sync-host-keys');
  }

  /** This box's identity, created on first use; `name` renames it when given and different. */
  async box(defaultName: string, name?: string): Promise<BoxIdentity> {
    return this.host.transaction(() => {
      const known = this.meta.get(BOX_KEY);
      const wanted = name ?? known?.name ?? defaultName;
      if (known !== undefined && known.name === wanted) return known;
      const box: BoxIdentity =
        known === undefined
          ? { id: newBoxId(), name: wanted, created: Date.now() }
          : { ...known, name: wanted };
      this.meta.putSync(BOX_KEY, box);
      return box;
    });
  }

  pushed(vaultId: VaultId, hash: ContentHash): PushedRecord | undefined {
    return this.pushedDb.get([vaultId, hash]);
  }

  *pushedTo(vaultId: VaultId): Iterable<{ hash: ContentHash; record: PushedRecord }> {
    for (const { key, value } of this.pushedDb.getRange({
      start: [vaultId],
      end: [`${vaultId}\u0000`],
    }))
      yield { hash: key[1], record: value };
  }

  async recordPushed(vaultId: VaultId, hash: ContentHash, record: PushedRecord): Promise<void> {
    await this.pushedDb.put([vaultId, hash], record);
  }

  target(vaultId: VaultId): SyncTargetRecord | undefined {
    return this.targets.get(vaultId);
  }

  *allTargets(): Iterable<SyncTargetRecord> {
    for (const { value } of this.targets.getRange()) yield value;
  }

  async putTarget(record: SyncTargetRecord): Promise<void> {
    await this.targets.put(record.vaultId, record);
  }

  hostKey(host: string): PinnedHostKey | undefined {
    return this.hostKeys.get(host);
  }

  async pinHostKey(record: PinnedHostKey): Promise<void> {
    await this.hostKeys.put(record.host, record);
  }
}
