import * as fs from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import {
  FieldBackupError,
  type BlockDevice,
  type DriveChangeProbe,
  type DriveLister,
  type MountedVolume,
  type Mounter,
  type MountMode,
  type Volume,
} from '../../src/index.js';

interface Plugged {
  readonly device: string;
  readonly kind: 'card' | 'ssd';
  /** The files: a camera card's folder, an SSD's vault folder. */
  readonly folder: string;
  readonly label: string;
  readonly uuid: string;
  /** undefined: blank (no filesystem); anything but exfat/vfat/ext4 cannot be mounted. */
  readonly fsType: string | undefined;
}

export interface MountRecord {
  readonly device: string;
  readonly mode: MountMode;
  readonly at: string;
}

/**
 * A USB card reader and USB SSDs, simulated with folders: it lists them as block devices
 * (the drive lister and the change probe), and "mounts" a volume by handing out its folder
 * (the mounter), recording the mode each was mounted in so tests can check a card was only
 * ever mounted read-only. Pulling a card moves its folder away, so a copy in progress fails
 * the way it does when a real card leaves (open and stat fail; nothing half recorded).
 */
export class SimulatedUsbDrives implements DriveLister, DriveChangeProbe, Mounter {
  private readonly plugged = new Map<string, Plugged>();
  private generation = 0;
  private nextSsd = 0;
  readonly mounts: MountRecord[] = [];
  readonly unmounts: string[] = [];
  /** Volumes mounted now: device → mode. */
  readonly mounted = new Map<string, MountMode>();
  private readonly byPath = new Map<string, string>();

  insertCard(
    folder: string,
    options: { label: string; uuid?: string; fsType?: string | null } = { label: basename(folder) },
  ): string {
    const device = '/dev/sdc';
    this.plugged.set(device, {
      device,
      kind: 'card',
      folder,
      label: options.label,
      uuid: options.uuid ?? uuidOf(options.label),
      fsType: options.fsType === null ? undefined : (options.fsType ?? 'exfat'),
    });
    this.generation++;
    return device;
  }

  /** The card leaves the reader: its files vanish at once, whatever was reading them. */
  async pullCard(): Promise<void> {
    const card = this.plugged.get('/dev/sdc');
    if (card === undefined) return;
    this.plugged.delete(card.device);
    this.generation++;
    await fs.rename(card.folder, pulledPath(card.folder));
  }

  /** The same card goes back in. */
  async reinsertCard(folder: string, label: string): Promise<void> {
    await fs.rename(pulledPath(folder), folder);
    this.insertCard(folder, { label });
  }

  plugSsd(folder: string, label: string): string {
    const device = `/dev/sd${'ab'[this.nextSsd++ % 2] ?? 'a'}`;
    this.plugged.set(device, {
      device,
      kind: 'ssd',
      folder,
      label,
      uuid: uuidOf(folder),
      fsType: 'ext4',
    });
    this.generation++;
    return device;
  }

  unplug(device: string): void {
    if (this.plugged.delete(device)) this.generation++;
  }

  signature(): Promise<string> {
    return Promise.resolve(String(this.generation));
  }

  list(): Promise<BlockDevice[]> {
    return Promise.resolve(
      [...this.plugged.values()].map((p) => ({
        device: p.device,
        description: p.kind === 'card' ? 'Generic SD/MMC reader' : `Samsung T7 ${p.label}`,
        sizeBytes: 64e9,
        removable: true,
        system: false,
        readOnly: false,
        volumes: [
          {
            device: `${p.device}1`,
            sizeBytes: 64e9,
            mountpoints: [],
            label: p.label,
            uuid: p.uuid,
            ...(p.fsType === undefined ? {} : { fsType: p.fsType }),
          },
        ],
      })),
    );
  }

  async mount(volume: Volume, at: string, mode: MountMode): Promise<MountedVolume> {
    const p = this.plugged.get(volume.device.replace(/1$/, ''));
    if (p === undefined)
      throw new FieldBackupError('E_MOUNT', `cannot mount ${volume.device}: no such device`, {
        subject: { device: volume.device },
      });
    if (p.fsType === undefined || !['exfat', 'vfat', 'ext4'].includes(p.fsType))
      throw new FieldBackupError(
        'E_MOUNT',
        `cannot mount ${volume.device} (${p.fsType ?? 'no filesystem'}): wrong fs type, bad superblock`,
        {
          subject: { device: volume.device },
        },
      );
    if (this.mounted.has(volume.device))
      throw new FieldBackupError('E_MOUNT', `${volume.device} is already mounted`);
    await fs.access(p.folder);
    this.mounts.push({ device: volume.device, mode, at });
    this.mounted.set(volume.device, mode);
    this.byPath.set(p.folder, volume.device);
    return { path: p.folder, driver: 'simulated' };
  }

  unmount(mounted: MountedVolume): Promise<void> {
    const device = this.byPath.get(mounted.path);
    if (device !== undefined) this.mounted.delete(device);
    this.byPath.delete(mounted.path);
    this.unmounts.push(mounted.path);
    return Promise.resolve();
  }
}

function pulledPath(folder: string): string {
  return join(dirname(folder), `.pulled-${basename(folder)}`);
}

/** A FAT-style serial from a name, stable across runs. */
function uuidOf(name: string): string {
  let h = 0x811c9dc5;
  for (const c of name) h = Math.imul(h ^ c.charCodeAt(0), 0x01000193) >>> 0;
  const hex = h.toString(16).toUpperCase().padStart(8, '0');
  return `${hex.slice(0, 4)}-${hex.slice(4)}`;
}
