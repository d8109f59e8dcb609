import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs/promises';
import { join } from 'node:path';

/**
 * A real camera card for tests that run as root: an exFAT (or FAT32) image on a loop device,
 * mounted through the kernel driver when the kernel has one, else exfat-fuse. Populate it
 * read-write, then insert it read-only the way the box mounts cards.
 */
export class CardImage {
  private loop: string | undefined;
  private mountPoint: string | undefined;

  private constructor(
    readonly image: string,
    readonly fsType: 'exfat' | 'vfat',
  ) {}

  static async create(
    dir: string,
    options: { label: string; sizeMB?: number; fsType?: 'exfat' | 'vfat' },
  ): Promise<CardImage> {
    const image = join(dir, `${options.label}.img`);
    const fsType = options.fsType ?? 'exfat';
    await fs.writeFile(image, '');
    await fs.truncate(image, (options.sizeMB ?? 64) * 1024 * 1024);
    if (fsType === 'exfat')
      execFileSync('mkfs.exfat', ['-L', options.label, image], { stdio: 'ignore' });
    else execFileSync('mkfs.vfat', ['-F', '32', '-n', options.label, image], { stdio: 'ignore' });
    return new CardImage(image, fsType);
  }

  get device(): string {
    this.loop ??= execFileSync('losetup', ['-f', '--show', this.image], {
      encoding: 'utf8',
    }).trim();
    return this.loop;
  }

  /** Mounts at `at`; read-only with the box's card options unless `writable`. */
  mount(at: string, writable = false): string {
    execFileSync('mkdir', ['-p', at]);
    const options = writable ? 'rw' : 'ro,noexec,nosuid,nodev';
    try {
      execFileSync('mount', ['-t', this.fsType, '-o', options, this.device, at], {
        stdio: 'ignore',
      });
    } catch {
      // This kernel has no driver for it: the FUSE implementation, as the box falls back to.
      if (this.fsType !== 'exfat')
        throw new Error(`cannot mount ${this.fsType} image ${this.image}`);
      execFileSync('mount.exfat-fuse', ['-o', options, this.device, at], { stdio: 'ignore' });
    }
    this.mountPoint = at;
    return at;
  }

  unmount(): void {
    if (this.mountPoint === undefined) return;
    execFileSync('umount', [this.mountPoint]);
    this.mountPoint = undefined;
  }

  /** Unmounts and detaches the loop device (the card is pulled). */
  eject(): void {
    this.unmount();
    if (this.loop !== undefined) execFileSync('losetup', ['-d', this.loop]);
    this.loop = undefined;
  }
}
