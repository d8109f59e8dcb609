import type { SourceId } from './ids.js';

export type SourceKind = 'card' | 'folder' | 'camera' | 'hotfolder';

/** A source as events and status name it. */
export interface SourceRef {
  readonly id: SourceId;
  readonly kind: SourceKind;
  readonly name: string;
  readonly location: string;
}

/** What identifies a source without writing to it. */
export interface SourceIdentity {
  readonly kind: SourceKind;
  /** A human name: the card's volume label, the camera model, the folder's name. */
  readonly name: string;
  /** Where it is now (mount point, folder, camera address); not part of its identity. */
  readonly location: string;
  /** Filesystem UUID or serial, camera serial number. */
  readonly serial?: string;
  readonly label?: string;
  readonly capacityBytes?: number;
  /**
   * Hashes of the beginnings of a few files: a card reformatted with the same UUID
   * shows another fingerprint, so its old records are not trusted for the fast path.
   */
  readonly fingerprint?: string;
}

export interface SourceEntry {
  /** Path relative to the source root, '/'-separated, never starting with '/' or containing '..'. */
  readonly relPath: string;
  readonly size: number;
  readonly mtimeMs: number;
  /** The protect/lock flag set in the camera (read-only attribute on the card). */
  readonly protected: boolean;
  /** Capture time when the source knows it without reading the file (cameras). */
  readonly captureTime?: Date;
  /** Tethered shots arrive one by one and are critical by default. */
  readonly tethered?: boolean;
}

/** Anything that yields files: a card, a folder, a camera, a hot folder. Never written to. */
export interface Source {
  readonly kind: SourceKind;
  identify(): Promise<SourceIdentity>;
  /** Every file to back up; problems with single entries are reported through `onWarning`. */
  entries(onWarning: (warning: SourceWarning) => void): AsyncIterable<SourceEntry>;
  /**
   * The bytes of one entry, in order; throws a FieldBackupError naming the file on failure.
   * A chunk may be reused by the source once the chunk after the next one is requested, so a
   * consumer keeps at most the current chunk while reading ahead one.
   */
  read(entry: SourceEntry, signal?: AbortSignal): AsyncIterable<Uint8Array>;
  /** A local path ExifTool can read, when the source has one (cards and folders do). */
  localPath?(entry: SourceEntry): string;
}

export interface SourceWarning {
  readonly code: 'E_SYMLINK_OUTSIDE' | 'E_SOURCE_DENIED' | 'E_SOURCE_READ';
  readonly message: string;
  readonly path: string;
}
