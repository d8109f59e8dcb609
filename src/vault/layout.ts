import { join } from 'node:path';

/** Names inside a vault root (DESIGN.md, "The vault"). */
export const MARKER_FILE = 'fieldbackup-vault.json';
export const PHOTOS_DIR = 'Photos';
export const MHL_DIR = 'ascmhl';
export const STATE_DIR = '.fieldbackup';
export const TMP_DIR = 'tmp';
export const QUARANTINE_DIR = 'quarantine';
export const LOCK_FILE = 'lock';

export interface VaultPaths {
  readonly root: string;
  readonly marker: string;
  readonly photos: string;
  readonly mhl: string;
  readonly state: string;
  readonly tmp: string;
  readonly quarantine: string;
  readonly lock: string;
}

export function vaultPaths(root: string): VaultPaths {
  const state = join(root, STATE_DIR);
  const photos = join(root, PHOTOS_DIR);
  return {
    root,
    marker: join(root, MARKER_FILE),
    photos,
    mhl: join(photos, MHL_DIR),
    state,
    tmp: join(state, TMP_DIR),
    quarantine: join(state, QUARANTINE_DIR),
    lock: join(state, LOCK_FILE),
  };
}
