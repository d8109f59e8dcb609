import { join } from 'node:path';
import { errorMessage, type Logger } from '../core/index.js';
import type { BlockDevice, DriveEvent, Mounter, Volume } from '../hardware/ports/index.js';
import { readMarker } from '../vault/index.js';
import type { StatusStore } from './status-store.js';
import type { VaultPool } from './vault-pool.js';

export interface CardInsert {
  readonly drive: BlockDevice;
  readonly volume: Volume;
}

export interface DriveRouterOptions {
  readonly mounter: Mounter;
  readonly pool: VaultPool;
  readonly store: StatusStore;
  readonly logger: Logger;
  /** Where the box mounts volumes. */
  readonly mountRoot: string;
  readonly onCard: (card: CardInsert) => void;
  readonly onCardGone: (device: string) => void;
}

/** A mount point name from a device path: /dev/sdb1 → sdb1. */
export const mountName = (device: string): string =>
  device.split('/').filter(Boolean).join('-').replace(/^dev-/, '');

/**
 * Tells SSDs from cards. Every new volume is first mounted read-only with the card options
 * (so nothing a photographer plugs in is ever written); one with a vault marker the box
 * accepts becomes a vault (mounted again read-write), anything else is a card handed to the
 * card region, one at a time. Volumes of one drive event are all sorted before any card is
 * handed on, so the SSDs present at boot are in the first session.
 */
export class DriveRouter {
  private queue: Promise<void> = Promise.resolve();
  private readonly cards = new Map<string, CardInsert>();
  private readonly ignored = new Set<string>();

  constructor(private readonly options: DriveRouterOptions) {}

  /** Drive events, handled strictly in order. */
  handle(event: DriveEvent): Promise<void> {
    this.queue = this.queue
      .then(() => this.route(event))
      .catch((err: unknown) => {
        this.options.logger.log('error', `drive event: ${errorMessage(err)}`);
      });
    return this.queue;
  }

  /** Resolves once every drive event so far is handled. */
  idle(): Promise<void> {
    return this.queue;
  }

  /** Whether a card volume is still listed. */
  hasCard(device: string): boolean {
    return this.cards.has(device);
  }

  private async route(event: DriveEvent): Promise<void> {
    const { drive } = event;
    if (drive.system) return;
    const before =
      event.event === 'changed'
        ? event.before.volumes
        : event.event === 'removed'
          ? drive.volumes
          : [];
    const after = event.event === 'removed' ? [] : drive.volumes;
    for (const v of before.filter(
      (b) => !after.some((a) => a.device === b.device && a.uuid === b.uuid),
    ))
      await this.gone(v);
    const fresh = after.filter(
      (a) => !before.some((b) => b.device === a.device && b.uuid === a.uuid),
    );
    const cards: CardInsert[] = [];
    for (const volume of fresh)
      if ((await this.classify(drive, volume)) === 'card') cards.push({ drive, volume });
    for (const card of cards) {
      this.cards.set(card.volume.device, card);
      this.options.onCard(card);
    }
  }

  private async gone(volume: Volume): Promise<void> {
    this.ignored.delete(volume.device);
    if (this.options.pool.hasDevice(volume.device))
      await this.options.pool.removeDevice(volume.device);
    if (this.cards.delete(volume.device)) this.options.onCardGone(volume.device);
  }

  private async classify(
    drive: BlockDevice,
    volume: Volume,
  ): Promise<'card' | 'vault' | 'ignored'> {
    const { mounter, pool, store, logger, mountRoot } = this.options;
    const elsewhere = volume.mountpoints.find((m) => !m.startsWith(mountRoot));
    if (elsewhere !== undefined) {
      // Mounted by someone else (fstab, a test): used as a vault if it is one, never touched otherwise.
      const marker = await readMarker(elsewhere).catch(() => undefined);
      if (marker !== undefined && pool.accepts(marker.id)) {
        pool.add({ id: marker.id, label: marker.label, root: elsewhere, device: volume.device });
        return 'vault';
      }
      if (!this.ignored.has(volume.device))
        logger.log(
          'info',
          `${volume.device} is mounted at ${elsewhere} by someone else; left alone`,
        );
      this.ignored.add(volume.device);
      return 'ignored';
    }
    if (volume.fsType === undefined) return 'card'; // blank or damaged: the card region says so
    const at = join(mountRoot, mountName(volume.device));
    let probe;
    try {
      probe = await mounter.mount(volume, at, 'card');
    } catch {
      return 'card'; // cannot be mounted: reported as an unreadable card
    }
    const marker = await readMarker(probe.path).catch(() => undefined);
    await mounter.unmount(probe);
    if (marker === undefined) return 'card';
    if (!pool.accepts(marker.id)) {
      store.problem(
        'E_VAULT_MISSING',
        `${marker.label} on ${drive.description || volume.device} is a vault of another box (id ${marker.id}); not used`,
      );
      return 'ignored';
    }
    try {
      const mounted = await mounter.mount(volume, at, 'vault');
      pool.add({
        id: marker.id,
        label: marker.label,
        root: mounted.path,
        device: volume.device,
        mounted,
      });
      store.clearProblems((p) => p.message.includes(marker.label));
      return 'vault';
    } catch (err) {
      store.failure(err, 'E_MOUNT');
      return 'ignored';
    }
  }
}
