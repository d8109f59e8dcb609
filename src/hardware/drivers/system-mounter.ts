import * as fs from 'node:fs/promises';
import { errorMessage, FieldBackupError, silentLogger, type Logger } from '../../core/index.js';
import { mountAt } from '../../platform/index.js';
import type { MountedVolume, Mounter, MountMode, Volume } from '../ports/index.js';
import { runCommand, runOrThrow, type CommandRunner } from './command.js';

/** Never writable, never executable, no device files, no set-uid: a card stays as it came. */
export const CARD_OPTIONS = ['ro', 'noexec', 'nosuid', 'nodev'] as const;
const VAULT_OPTIONS = ['rw', 'noexec', 'nosuid', 'nodev'] as const;

/** Filesystem-specific options: UTF-8 names; FAT keeps camera file names as they are. */
const EXTRA: Readonly<Record<string, readonly string[]>> = {
  vfat: ['utf8', 'shortname=mixed'],
  exfat: ['iocharset=utf8'],
};

/** Filesystems served by a FUSE program when the kernel has no driver (this is checked, not assumed). */
const FUSE_HELPERS: Readonly<Record<string, string>> = { exfat: 'mount.exfat-fuse' };

/**
 * Mounts with mount(8): the kernel driver first, the FUSE implementation when the kernel has
 * none (exFAT on older or trimmed kernels). A card mount is checked in /proc/self/mountinfo to
 * really be ro,noexec,nosuid,nodev before anything reads it; a mount that is not is undone.
 */
export class SystemMounter implements Mounter {
  constructor(
    private readonly run: CommandRunner = runCommand,
    private readonly logger: Logger = silentLogger,
  ) {}

  async mount(volume: Volume, at: string, mode: MountMode): Promise<MountedVolume> {
    const fsType = volume.fsType;
    if (fsType === undefined) {
      throw new FieldBackupError(
        'E_MOUNT',
        `${volume.device} has no filesystem the box recognises (blank, damaged or encrypted)`,
        { subject: { device: volume.device } },
      );
    }
    await fs.mkdir(at, { recursive: true });
    const base = mode === 'card' ? CARD_OPTIONS : VAULT_OPTIONS;
    const options = [...base, ...(EXTRA[fsType] ?? [])].join(',');
    let driver = fsType;
    try {
      await runOrThrow(this.run, 'mount', ['-t', fsType, '-o', options, volume.device, at]);
    } catch (kernelErr) {
      const helper = FUSE_HELPERS[fsType];
      if (helper === undefined) throw this.failed(volume, at, kernelErr);
      this.logger.log('info', `no kernel ${fsType} driver for ${volume.device}; using ${helper}`);
      try {
        await runOrThrow(this.run, helper, ['-o', base.join(','), volume.device, at]);
        driver = `${fsType}-fuse`;
      } catch (fuseErr) {
        throw this.failed(volume, at, fuseErr);
      }
    }
    const mounted = { path: at, driver };
    if (mode === 'card') await this.checkCardOptions(volume, mounted);
    return mounted;
  }

  async unmount(mounted: MountedVolume): Promise<void> {
    if ((await mountAt(mounted.path)) !== undefined) {
      try {
        await runOrThrow(this.run, 'umount', [mounted.path]);
      } catch (err) {
        // Still busy (a reader not yet closed after a pulled card): detach it now, the kernel
        // frees it when the last file closes. A read-only card has nothing to flush.
        this.logger.log('warn', `umount ${mounted.path}: ${errorMessage(err)}; detaching lazily`);
        await runOrThrow(this.run, 'umount', ['-l', mounted.path]);
      }
    }
    await fs.rmdir(mounted.path).catch(() => undefined);
  }

  /**
   * Every card option must show in mountinfo. FUSE helpers drop some (exfat-fuse drops
   * noexec), so a remount sets them on the mount itself; a mount still lacking one is undone.
   */
  private async checkCardOptions(volume: Volume, mounted: MountedVolume): Promise<void> {
    const missing = async (): Promise<string[]> => {
      const options = (await mountAt(mounted.path))?.options ?? [];
      return CARD_OPTIONS.filter((o) => !options.includes(o));
    };
    if ((await missing()).length === 0) return;
    await runOrThrow(this.run, 'mount', [
      '-o',
      `remount,${CARD_OPTIONS.join(',')}`,
      mounted.path,
    ]).catch(() => undefined);
    const still = await missing();
    if (still.length === 0) return;
    await this.unmount(mounted).catch(() => undefined);
    throw new FieldBackupError(
      'E_MOUNT',
      `${volume.device} mounted at ${mounted.path} without ${still.join(', ')}; unmounted, not touched`,
      { subject: { device: volume.device } },
    );
  }

  private failed(volume: Volume, at: string, err: unknown): FieldBackupError {
    void fs.rmdir(at).catch(() => undefined);
    return new FieldBackupError(
      'E_MOUNT',
      `cannot mount ${volume.device} (${volume.fsType ?? 'unknown'}): ${errorMessage(err)}`,
      { subject: { device: volume.device }, cause: err },
    );
  }
}
