import * as fs from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { FieldBackupError, VaultId, VaultRef } from '../core/index.js';
import { errnoOf, fsyncDir, mkdirDurable, vaultErrorCode, wrapError } from '../platform/index.js';
import { vaultPaths, type VaultPaths } from './layout.js';
import { acquireVaultLock, type VaultLock } from './lock.js';
import { readMarker, type VaultMarker } from './marker.js';
import { PathTemplate } from './path-template.js';
import { nodeVaultIo, type VaultIo } from './vault-io.js';

/** An opened vault: its marker, layout and the I/O its copies go through. */
export class Vault {
  private constructor(
    readonly root: string,
    readonly marker: VaultMarker,
    readonly paths: VaultPaths,
    readonly template: PathTemplate,
    readonly io: VaultIo,
  ) {}

  static async open(root: string, io: VaultIo = nodeVaultIo): Promise<Vault> {
    const marker = await readMarker(root);
    const paths = vaultPaths(root);
    const template = PathTemplate.parse(marker.pathTemplate);
    try {
      await mkdirDurable(paths.photos);
      await mkdirDurable(paths.tmp);
    } catch (err) {
      throw wrapError(
        err,
        vaultErrorCode(err),
        `vault ${marker.label} (${root}) cannot be prepared`,
        { vault: marker.label },
      );
    }
    return new Vault(root, marker, paths, template, io);
  }

  get id(): VaultId {
    return this.marker.id;
  }

  get label(): string {
    return this.marker.label;
  }

  get ref(): VaultRef {
    return { id: this.id, label: this.label, root: this.root };
  }

  lock(): Promise<VaultLock> {
    return acquireVaultLock(this.paths.lock, this.label);
  }

  /** Absolute path of a vault-relative photo path. */
  photoPath(relPath: string): string {
    return join(this.paths.photos, ...relPath.split('/'));
  }

  tempPath(name: string): string {
    return join(this.paths.tmp, name);
  }

  /** Removes the temporaries a crash left behind; call with the lock held. Returns how many. */
  async removeTemporaries(): Promise<number> {
    const names = await fs.readdir(this.paths.tmp);
    await Promise.all(
      names.map((n) => fs.rm(join(this.paths.tmp, n), { force: true, recursive: true })),
    );
    return names.length;
  }

  /**
   * Moves a file that failed verification out of Photos/ into .fieldbackup/quarantine/, keeping
   * its bytes: nothing the box did not write itself is ever deleted. Returns the new path.
   */
  async quarantine(relPath: string, now: Date): Promise<string> {
    const stamp = now.toISOString().replace(/[:.]/g, '-');
    const target = join(this.paths.quarantine, stamp, ...relPath.split('/'));
    await mkdirDurable(dirname(target));
    await fs.rename(this.photoPath(relPath), target);
    await fsyncDir(dirname(target));
    await fsyncDir(dirname(this.photoPath(relPath)));
    return target;
  }

  async freeBytes(): Promise<number> {
    return (await this.space()).freeBytes;
  }

  /** Free bytes (for an unprivileged writer), capacity, and the block size files are allocated in. */
  async space(): Promise<{
    readonly freeBytes: number;
    readonly capacityBytes: number;
    readonly blockSize: number;
  }> {
    const st = await fs.statfs(this.root);
    return {
      freeBytes: st.bavail * st.bsize,
      capacityBytes: st.blocks * st.bsize,
      blockSize: st.bsize,
    };
  }

  async exists(relPath: string): Promise<boolean> {
    try {
      await fs.lstat(this.photoPath(relPath));
      return true;
    } catch (err) {
      if (errnoOf(err) === 'ENOENT') return false;
      throw wrapError(err, vaultErrorCode(err), `vault ${this.label}: cannot check ${relPath}`, {
        vault: this.label,
        path: relPath,
      });
    }
  }

  problem(err: unknown, what: string, relPath?: string): FieldBackupError {
    return wrapError(err, vaultErrorCode(err), `vault ${this.label}: ${what}`, {
      vault: this.label,
      ...(relPath === undefined ? {} : { path: relPath }),
    });
  }
}
