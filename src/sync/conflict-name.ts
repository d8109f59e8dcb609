import type { ContentHash } from '../core/index.js';

/**
 * Sidecars and metadata that photo software edits after the shoot (Lightroom/ACR .xmp, DxO
 * .dop, RawTherapee .pp3, ON1 .on1, Capture One .cos/.cot/.cof). Two versions of one of these
 * at one path are edits of the same thing: the newest is current, the other is kept beside
 * it. Camera originals at a taken path are different shots and get a new name instead.
 */
const EDITABLE = new Set(['xmp', 'dop', 'pp3', 'on1', 'cos', 'cot', 'cof']);

export function isEditableMetadata(path: string): boolean {
  const name = path.slice(path.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  return dot > 0 && EDITABLE.has(name.slice(dot + 1).toLowerCase());
}

/** A version of a file, for deciding which of two is the newest. */
export interface Version {
  readonly hash: ContentHash;
  readonly mtimeMs: number;
}

/**
 * Whether `a` is newer than `b`: by modification time in whole seconds (SFTP keeps no more),
 * then by hash, so that every box decides the same way.
 */
export function isNewer(a: Version, b: Version): boolean {
  const sa = Math.floor(a.mtimeMs / 1000);
  const sb = Math.floor(b.mtimeMs / 1000);
  return sa !== sb ? sa > sb : a.hash > b.hash;
}

/**
 * The name an older version is kept under beside the current file, syncthing style and
 * keeping the extension: IMG_0001.xmp → IMG_0001.conflict-20261121-101010-studio-box.xmp
 * (its modification time, UTC, and the box it came from).
 */
export function conflictName(path: string, mtimeMs: number, boxName: string): string {
  const slash = path.lastIndexOf('/');
  const dir = path.slice(0, slash + 1);
  const name = path.slice(slash + 1);
  const dot = name.lastIndexOf('.');
  const stem = dot > 0 ? name.slice(0, dot) : name;
  const ext = dot > 0 ? name.slice(dot) : '';
  const iso = new Date(mtimeMs).toISOString();
  const stamp = `${iso.slice(0, 10).replace(/-/g, '')}-${iso.slice(11, 19).replace(/:/g, '')}`;
  const box = boxName.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '') || 'box';
  return `${dir}${stem}.conflict-${stamp}-${box}${ext}`;
}

/** The path a conflict copy is kept beside (inverse of conflictName, with or without a _2 suffix). */
export function conflictBase(path: string): string | undefined {
  const slash = path.lastIndexOf('/');
  const name = path.slice(slash + 1);
  const at = name.indexOf('.conflict-');
  if (at <= 0 || !/^\.conflict-\d{8}-\d{6}-/.test(name.slice(at))) return undefined;
  const dot = name.lastIndexOf('.');
  return `${path.slice(0, slash + 1)}${name.slice(0, at)}${dot > at ? name.slice(dot) : ''}`;
}
