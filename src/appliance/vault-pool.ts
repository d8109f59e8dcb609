import type { Catalog } from '../catalog/index.js';
import {
  errorMessage,
  FieldBackupError,
  type Clock,
  type Logger,
  type VaultId,
  type VaultRef,
} from '../core/index.js';
import type { MountedVolume, Mounter } from '../hardware/ports/index.js';
import { IngestSession, type FileIndexer } from '../ingest/index.js';
import type { PlanTagReader } from '../media/index.js';
import type { VaultView } from '../status/index.js';
import type { Tiers } from '../tiers/index.js';
import { readMarker, type VaultIo } from '../vault/index.js';

/** A vault the box knows of: from the config (a folder, or an SSD by id) or found on a drive. */
interface Known {
  id?: VaultId;
  label: string;
  root?: string;
  present: boolean;
  /** Block device it was found on. */
  device?: string;
  /** Set when the box mounted it (and so unmounts it). */
  mounted?: MountedVolume;
  /** A folder from `vaults:` in the config (checked again at each lease). */
  fixed?: string;
  problem?: string;
}

export interface VaultPoolOptions {
  readonly catalog: Catalog;
  readonly mounter: Mounter;
  readonly tiers: Tiers;
  readonly tags?: PlanTagReader;
  /** Every secured file goes to the metadata index (search, restore by tag). */
  readonly indexer?: FileIndexer;
  readonly concurrency: number;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly vaultIo?: VaultIo;
  /** Vault folders from the config (`vaults:`). */
  readonly fixedRoots: readonly string[];
  /** SSDs by vault id (`hardware.drives.vaultIds`); empty: any vault. */
  readonly expectedIds: readonly string[];
  readonly onChange: (vaults: VaultView[]) => void;
}

export interface Lease {
  readonly session: IngestSession;
  release(): Promise<void>;
}

/**
 * The SSDs (vaults) present now, and one ingest session over them shared by everything that
 * copies at the same time (a card and a tethered camera): opened for the first lease, closed
 * with the last, so no vault stays locked while the box is idle and an SSD unplugged in
 * between is simply not in the next session.
 */
export class VaultPool {
  private readonly known: Known[] = [];
  private session: IngestSession | undefined;
  private opening: Promise<IngestSession> | undefined;
  private leases = 0;
  /** The last session's close: a new session waits for it (the vault locks must be free). */
  private closing: Promise<void> = Promise.resolve();

  constructor(private readonly options: VaultPoolOptions) {
    for (const root of options.fixedRoots)
      this.known.push({ label: root, fixed: root, present: false });
    for (const id of options.expectedIds) {
      const seen = options.catalog.vault(id as VaultId);
      this.known.push({ id: id as VaultId, label: seen?.label ?? id.slice(0, 8), present: false });
    }
  }

  /** Whether this vault id may be used (the config names the box's SSDs, or any vault goes). */
  accepts(id: VaultId): boolean {
    return this.options.expectedIds.length === 0 || this.options.expectedIds.includes(id);
  }

  /** Looks at the configured folders again (a folder vault may appear or vanish). */
  async refreshFixed(): Promise<void> {
    let changed = false;
    for (const k of this.known.filter((v) => v.fixed !== undefined)) {
      const root = k.fixed as string;
      const marker = await readMarker(root).catch(() => undefined);
      const present = marker !== undefined;
      if (present !== k.present || (marker !== undefined && k.id !== marker.id)) changed = true;
      k.present = present;
      if (marker !== undefined) {
        k.id = marker.id;
        k.label = marker.label;
        k.root = root;
      }
    }
    if (changed) this.changed();
  }

  /** A vault found on a drive (already mounted where `root` is). */
  add(vault: VaultRef & { readonly device: string; readonly mounted?: MountedVolume }): void {
    let entry = this.known.find((k) => k.id === vault.id);
    if (entry === undefined) {
      entry = { id: vault.id, label: vault.label, present: true };
      this.known.push(entry);
    }
    Object.assign(entry, {
      label: vault.label,
      root: vault.root,
      present: true,
      device: vault.device,
    });
    if (vault.mounted !== undefined) entry.mounted = vault.mounted;
    else delete entry.mounted;
    this.changed();
  }

  /** The drive holding a vault is gone: it is missing from the next session on. */
  async removeDevice(device: string): Promise<void> {
    const gone = this.known.filter((k) => k.device === device && k.present);
    if (gone.length === 0) return;
    for (const k of gone) k.present = false;
    this.changed();
    if (this.leases === 0) await this.unmountAbsent();
  }

  hasDevice(device: string): boolean {
    return this.known.some((k) => k.device === device && k.present);
  }

  /**
   * Every vault the box expects (config) or has seen since it started: one that was there and
   * left (a loose cable) is shown missing until it is back, so a one-copy backup is not a surprise.
   */
  views(): VaultView[] {
    return this.known.map((k) => ({
      label: k.label,
      present: k.present,
      ...(k.id === undefined ? {} : { id: k.id }),
      ...(k.root === undefined ? {} : { root: k.root }),
      ...(k.problem === undefined ? {} : { problem: k.problem }),
    }));
  }

  present(): VaultRef[] {
    return this.known
      .filter((k) => k.present && k.id !== undefined && k.root !== undefined)
      .map((k) => ({ id: k.id as VaultId, label: k.label, root: k.root as string }));
  }

  /** The shared session, opened over the vaults present now if none is open. */
  async lease(): Promise<Lease> {
    this.leases++;
    try {
      this.opening ??= this.open();
      const session = await this.opening;
      let released = false;
      return {
        session,
        release: async () => {
          if (released) return;
          released = true;
          await this.release();
        },
      };
    } catch (err) {
      this.leases--;
      this.opening = undefined;
      throw err;
    }
  }

  /** Waits for nothing; closes the session if it is open and idle (shutdown). */
  async close(): Promise<void> {
    const session = this.session;
    this.session = undefined;
    this.opening = undefined;
    await session
      ?.close()
      .catch((err: unknown) =>
        this.options.logger.log('warn', `closing the vaults: ${errorMessage(err)}`),
      );
    for (const k of this.known.filter((v) => v.mounted !== undefined)) {
      await this.options.mounter.unmount(k.mounted as MountedVolume).catch(() => undefined);
      delete k.mounted;
    }
  }

  private async open(): Promise<IngestSession> {
    await this.closing;
    await this.refreshFixed();
    const roots = [
      ...this.present().map((v) => v.root),
      // A configured folder that is missing goes in too: the job then names it as missing.
      ...this.known
        .filter((k) => k.fixed !== undefined && !k.present)
        .map((k) => k.fixed as string),
    ];
    if (this.present().length === 0) {
      throw new FieldBackupError(
        'E_VAULT_MISSING',
        'no SSD connected: connect the SSDs, then put the card in again',
        {
          subject: { vault: 'none' },
        },
      );
    }
    const o = this.options;
    const session = await IngestSession.open({
      vaults: roots,
      catalog: o.catalog,
      tiers: o.tiers,
      concurrency: o.concurrency,
      clock: o.clock,
      logger: o.logger,
      ...(o.tags === undefined ? {} : { tags: o.tags }),
      ...(o.indexer === undefined ? {} : { indexer: o.indexer }),
      ...(o.vaultIo === undefined ? {} : { vaultIo: o.vaultIo }),
    });
    this.session = session;
    return session;
  }

  private async release(): Promise<void> {
    if (--this.leases > 0) return;
    const session = this.session;
    this.session = undefined;
    this.opening = undefined;
    this.closing = (async () => {
      await session
        ?.close()
        .catch((err: unknown) =>
          this.options.logger.log('warn', `closing the vaults: ${errorMessage(err)}`),
        );
      await this.unmountAbsent();
    })();
    await this.closing;
  }

  private async unmountAbsent(): Promise<void> {
    for (const k of this.known.filter((v) => !v.present && v.mounted !== undefined)) {
      await this.options.mounter
        .unmount(k.mounted as MountedVolume)
        .catch((err: unknown) =>
          this.options.logger.log('warn', `unmounting ${k.label}: ${errorMessage(err)}`),
        );
      delete k.mounted;
    }
  }

  private changed(): void {
    this.options.onChange(this.views());
  }
}
