import type { Volume } from './drives.js';

/**
 * `card`: read-only, never executable, no device nodes, no set-uid (ro,noexec,nosuid,nodev),
 * so nothing can write to a photographer's card. `vault`: read-write (an SSD of the box).
 */
export type MountMode = 'card' | 'vault';

export interface MountedVolume {
  /** Where the files are (the mount point, or a simulated card's folder). */
  readonly path: string;
  /** Which implementation mounted it: "exfat", "vfat", "exfat-fuse", "ext4", "simulated". */
  readonly driver: string;
}

export interface Mounter {
  /** Mounts `volume` at `at` (created if needed); throws a FieldBackupError naming the device. */
  mount(volume: Volume, at: string, mode: MountMode): Promise<MountedVolume>;
  /** Unmounts what `mount` returned and removes the mount point; a vanished device is fine. */
  unmount(mounted: MountedVolume): Promise<void>;
}
