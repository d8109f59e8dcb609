import type { ContentHash } from '../core/index.js';

/**
 * A folder on a NAS reached by some transport. Deliberately small (rclone's lesson): every
 * transport implements these operations and passes one conformance suite; the sync protocol
 * is written once on top. Paths are '/'-separated and relative to the remote's root.
 */
export interface Remote {
  /** Where it is, for messages: a folder, or sftp://user@host:port/path. */
  readonly location: string;
  readonly capabilities: RemoteCapabilities;
  /** undefined when nothing is there. */
  stat(path: string): Promise<RemoteStat | undefined>;
  /** The entries of a folder; undefined when the folder does not exist. */
  list(dir: string): Promise<RemoteEntry[] | undefined>;
  /** mkdir -p; new folders are made durable where the transport allows. */
  mkdirs(dir: string): Promise<void>;
  /** A small file's bytes (markers, manifests); refuses files larger than `maxBytes`. */
  readFile(path: string, maxBytes: number): Promise<Buffer>;
  /** Creates a file that must not exist yet (fails with EEXIST) and opens it for writing. */
  create(path: string): Promise<RemoteFile>;
  /** Opens an existing file for appending. */
  append(path: string): Promise<RemoteFile>;
  /**
   * Gives a finished file its final name without ever replacing one: 'exists' when the name
   * is taken (nothing changed then). The folder of `to` must exist.
   */
  place(from: string, to: string): Promise<'placed' | 'exists'>;
  /** Removes a file (temporaries, locks); a missing file is not an error. */
  remove(path: string): Promise<void>;
  /** The content hash of a file as the NAS stores it: read back, or computed on the NAS. */
  hash(path: string, options?: HashOptions): Promise<RemoteHash>;
  close(): Promise<void>;
}

export interface HashOptions {
  readonly signal?: AbortSignal;
  /** The size the file should have, when known: spares asking for it and bounds the reads. */
  readonly size?: number;
}

export interface RemoteCapabilities {
  /** Files can be fsync'd on the NAS (local fsync, SFTP fsync@openssh.com). */
  readonly fsync: boolean;
  /** place() is atomic (link(2), hardlink@openssh.com); else check-then-rename. */
  readonly atomicPlace: boolean;
  /** hash() runs on the NAS itself for large files (no bytes back over the network). */
  readonly hashOnRemote: boolean;
}

export type RemoteKind = 'file' | 'directory' | 'other';

export interface RemoteStat {
  readonly kind: RemoteKind;
  readonly size: number;
  /** As the NAS's clock and filesystem have it. */
  readonly mtimeMs: number;
}

export interface RemoteEntry extends RemoteStat {
  readonly name: string;
}

export interface RemoteHash {
  readonly hash: ContentHash;
  readonly bytes: number;
  /** 'read-back': the bytes came back over the transport; 'remote': hashed by the NAS. */
  readonly how: 'read-back' | 'remote';
}

/**
 * A file open for writing. write() resolves when the caller may reuse its buffer and send
 * more (the transport may still have bytes in flight); a failure of an earlier write is
 * thrown by a later call. close() waits for everything and reports any failure: once it
 * resolves, the bytes (and the mtime) are on the NAS, fsync'd when asked and possible.
 */
export interface RemoteFile {
  write(chunk: Uint8Array): Promise<void>;
  close(options?: CloseOptions): Promise<void>;
  /** Gives up: closes without waiting for writes in flight. */
  abort(): Promise<void>;
}

export interface CloseOptions {
  /** The modification time to give the file (photo tools sort by it). */
  readonly mtimeMs?: number;
  /** fsync before closing, where the transport allows (capabilities.fsync). */
  readonly fsync?: boolean;
}
