import { FieldBackupError, type SourceEntry } from '../core/index.js';
import {
  Format,
  ROOT_PARENT,
  SONY_IN_MEMORY_HANDLE,
  NIKON_SDRAM_HANDLE,
  hex,
} from './ptp/codes.js';
import { parsePtpDate, type ObjectInfo } from './ptp/datasets.js';
import { protocolError } from './ptp/reader.js';
import type { PtpSession } from './ptp-session.js';
import { safeRelPath } from './safe-name.js';

/** An image or video on the camera, as the ingest engine sees it. */
export interface CameraObject {
  readonly handle: number;
  readonly info: ObjectInfo;
  readonly entry: SourceEntry;
  /** Held in the camera's RAM (Sony, Nikon SDRAM): it can be read once, then it is gone. */
  readonly volatile: boolean;
}

const MAX_DEPTH = 16;
const SIZE_UNKNOWN = 0xffffffff;

/**
 * Turns handles into stable entries: the path is the folder chain on the card (slot 2 and up
 * get a SLOTn/ prefix, so dual-slot cameras never mix their cards), the mtime is the capture
 * date, so reconnecting finds the same relPath, size and mtime and the catalog copies nothing twice.
 */
export class CameraObjects {
  private readonly folders = new Map<number, ObjectInfo>();
  private readonly byPath = new Map<string, CameraObject>();

  constructor(
    private readonly session: PtpSession,
    /** When an object has no date: the time this box first saw it (kept across reconnects). */
    private readonly firstSeen: (key: string) => number,
  ) {}

  find(relPath: string): CameraObject | undefined {
    return this.byPath.get(relPath);
  }

  /** The object behind a handle; undefined for folders. Throws E_UNSAFE_NAME, E_PROTOCOL, … */
  async describe(handle: number, info?: ObjectInfo): Promise<CameraObject | undefined> {
    const object = info ?? (await this.session.objectInfo(handle));
    if (object.format === Format.Association) {
      this.folders.set(handle, object);
      return undefined;
    }
    const volatile = handle === SONY_IN_MEMORY_HANDLE || handle === NIKON_SDRAM_HANDLE;
    const folders = volatile ? [] : await this.folderChain(object.parent);
    const slot = object.storageId >>> 16;
    const segments = [
      ...(volatile || slot <= 1 ? [] : [`SLOT${slot}`]),
      ...folders,
      object.filename,
    ];
    const relPath = safeRelPath(segments, this.session.location, `camera object ${hex(handle, 8)}`);
    if (object.compressedSize === SIZE_UNKNOWN) {
      throw new FieldBackupError(
        'E_SOURCE_READ',
        `${relPath} is 4 GiB or larger, which PTP cannot size; copy it from the card`,
        {
          subject: { path: relPath, device: this.session.location },
        },
      );
    }
    const wall = parsePtpDate(object.captureDate) ?? parsePtpDate(object.modificationDate);
    const entry: SourceEntry = {
      relPath,
      size: object.compressedSize,
      // The camera's wall clock read as the box's local time, as gphoto2 does.
      mtimeMs:
        wall === undefined ? this.firstSeen(`${object.storageId}/${relPath}`) : localInstant(wall),
      protected: object.protectionStatus !== 0,
      tethered: true,
      ...(wall === undefined ? {} : { captureTime: wall }),
    };
    const found = { handle, info: object, entry, volatile };
    this.byPath.set(relPath, found);
    return found;
  }

  /** Every object on every storage, folder by folder; one bad object is reported, the rest listed. */
  async listAll(onProblem: (err: unknown) => void): Promise<CameraObject[]> {
    const out: CameraObject[] = [];
    const seen = new Set<number>();
    for (const storage of await this.session.storageIds()) {
      const walk = async (parent: number, depth: number): Promise<void> => {
        let handles: number[];
        try {
          handles = await this.session.objectHandles(storage, parent);
        } catch (err) {
          if (
            err instanceof FieldBackupError &&
            err.code !== 'E_DEVICE_GONE' &&
            err.code !== 'E_PROTOCOL'
          ) {
            onProblem(err);
            return;
          }
          throw err;
        }
        for (const handle of handles) {
          if (seen.has(handle)) continue;
          seen.add(handle);
          const info = await this.session.objectInfo(handle);
          if (info.format === Format.Association) {
            this.folders.set(handle, info);
            if (depth < MAX_DEPTH) await walk(handle, depth + 1);
            continue;
          }
          try {
            const object = await this.describe(handle, info);
            if (object !== undefined) out.push(object);
          } catch (err) {
            if (
              err instanceof FieldBackupError &&
              (err.code === 'E_DEVICE_GONE' || err.code === 'E_PROTOCOL')
            )
              throw err;
            onProblem(err);
          }
        }
      };
      await walk(ROOT_PARENT, 0);
    }
    return out;
  }

  private async folderChain(parent: number): Promise<string[]> {
    const names: string[] = [];
    const visited = new Set<number>();
    for (let handle = parent; handle !== 0 && handle !== ROOT_PARENT;) {
      if (visited.has(handle) || names.length >= MAX_DEPTH) {
        throw protocolError(
          `folder chain of object parent ${hex(handle, 8)} loops or is deeper than ${MAX_DEPTH}`,
          'ParentObject',
        );
      }
      visited.add(handle);
      let folder = this.folders.get(handle);
      if (folder === undefined) {
        folder = await this.session.objectInfo(handle);
        this.folders.set(handle, folder);
      }
      names.unshift(folder.filename);
      handle = folder.parent;
    }
    return names;
  }
}

/** A wall-clock Date (UTC fields = camera clock) as the same clock reading in the box's zone. */
function localInstant(wall: Date): number {
  return new Date(
    wall.getUTCFullYear(),
    wall.getUTCMonth(),
    wall.getUTCDate(),
    wall.getUTCHours(),
    wall.getUTCMinutes(),
    wall.getUTCSeconds(),
  ).getTime();
}
