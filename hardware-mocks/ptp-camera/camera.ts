import { EventEmitter } from 'node:events';
import * as fs from 'node:fs/promises';
import { basename, extname, join } from 'node:path';

export type VendorStyle = 'generic' | 'canon' | 'nikon' | 'sony';

/** A corrupted reply the camera sends once, to the next request with this operation code. */
export interface MalformedReply {
  readonly op: number;
  readonly kind:
    | 'huge-length' // a container/packet length far beyond what follows
    | 'short-length' // a length shorter than the header
    | 'bad-type' // an unknown container/packet type
    | 'wrong-tid' // a response for another transaction
    | 'bad-dataset' // a dataset whose string runs past its end
    | 'too-much-data'; // more data than announced
}

export interface CameraFaults {
  /** Cut the link once an object's data phase has sent this many bytes (each value used once, in order). */
  disconnectAfterBytes?: number[];
  /** How long the camera stays away after a cut (USB: re-enumerates; PTP/IP: refuses connections). */
  awayMs?: number;
  /** Answer DeviceBusy to this many object reads (GetObject / GetPartialObject) before serving them. */
  busyResponses?: number;
  malformed?: MalformedReply[];
}

export interface CameraOptions {
  readonly vendor?: VendorStyle;
  readonly manufacturer?: string;
  readonly model?: string;
  readonly serial?: string;
  /** Advertise GetPartialObject (0x101B); without it objects can only be read whole. */
  readonly partialObject?: boolean;
  readonly faults?: CameraFaults;
}

export const STORAGE_ID = 0x00010001;
export const SONY_MEMORY_HANDLE = 0xffffc001;
const FIRST_HANDLE = 0x100;

export interface SimObject {
  readonly handle: number;
  readonly parent: number;
  /** Raw name as sent to the host; tests may put hostile names here. */
  readonly name: string;
  readonly folder: boolean;
  readonly size: number;
  readonly mtimeMs: number;
  /** Where the bytes are: a file on disk or a buffer. */
  readonly path?: string;
  readonly bytes?: Buffer;
}

/** Events the camera raises, in whatever way its vendor style delivers them. */
export interface CameraEventMessage {
  readonly code: number;
  readonly params: readonly number[];
}

/**
 * A camera's card as a PTP device sees it: storage, folders, files with handles, and new
 * captures announced the vendor's way (interrupt events, Canon/Nikon event lists polled by the
 * host, Sony's image in memory). The USB and PTP/IP simulators put their transports on top.
 */
export class SimulatedCamera extends EventEmitter<{ event: [CameraEventMessage]; disconnect: [] }> {
  readonly vendor: VendorStyle;
  readonly manufacturer: string;
  readonly model: string;
  readonly serial: string;
  readonly partialObject: boolean;
  readonly faults: CameraFaults;
  readonly objects = new Map<number, SimObject>();
  /** Every operation the host sent, in order (tests check nothing was written or deleted). */
  readonly requests: { readonly code: number; readonly params: readonly number[] }[] = [];
  /** Canon GetEvent records / Nikon events waiting for the host's next poll. */
  readonly polledEvents: CameraEventMessage[] = [];
  /** Sony: captures held in memory until the host reads them. */
  readonly memory: SimObject[] = [];
  private nextHandle = FIRST_HANDLE;
  private shootFolder: number | undefined;

  constructor(options: CameraOptions = {}) {
    super();
    this.vendor = options.vendor ?? 'generic';
    const defaults = VENDOR_DEFAULTS[this.vendor];
    this.manufacturer = options.manufacturer ?? defaults.manufacturer;
    this.model = options.model ?? defaults.model;
    this.serial = options.serial ?? '0123456789';
    this.partialObject = options.partialObject ?? true;
    this.faults = options.faults ?? {};
  }

  /** Serves a folder as the card: its tree becomes folders (associations) and files. */
  async loadImages(dir: string): Promise<void> {
    const walk = async (path: string, parent: number): Promise<void> => {
      for (const d of (await fs.readdir(path, { withFileTypes: true })).sort((a, b) =>
        a.name.localeCompare(b.name),
      )) {
        const full = join(path, d.name);
        if (d.isDirectory()) await walk(full, this.folder(d.name, parent));
        else if (d.isFile()) await this.addFile(full, parent);
      }
    };
    await walk(dir, 0);
  }

  folder(name: string, parent: number): number {
    const existing = [...this.objects.values()].find(
      (o) => o.folder && o.parent === parent && o.name === name,
    );
    if (existing !== undefined) return existing.handle;
    const handle = this.nextHandle++;
    this.objects.set(handle, { handle, parent, name, folder: true, size: 0, mtimeMs: Date.now() });
    return handle;
  }

  /** A file on the card (not announced). */
  async addFile(path: string, parent: number, name = basename(path)): Promise<SimObject> {
    const st = await fs.stat(path);
    const handle = this.nextHandle++;
    const object = {
      handle,
      parent,
      name,
      folder: false,
      size: st.size,
      mtimeMs: st.mtimeMs,
      path,
    };
    this.objects.set(handle, object);
    return object;
  }

  /** A file with given bytes and name (hostile names included), not announced. */
  addBytes(name: string, bytes: Buffer, parent = 0, mtimeMs = Date.now()): SimObject {
    const handle = this.nextHandle++;
    const object = { handle, parent, name, folder: false, size: bytes.byteLength, mtimeMs, bytes };
    this.objects.set(handle, object);
    return object;
  }

  /** The shutter: a new image in DCIM/100<VENDOR>, announced the vendor's way. */
  async capture(path: string): Promise<SimObject> {
    if (this.vendor === 'sony') {
      const st = await fs.stat(path);
      const object = {
        handle: SONY_MEMORY_HANDLE,
        parent: 0,
        name: basename(path),
        folder: false,
        size: st.size,
        mtimeMs: st.mtimeMs,
        path,
      };
      this.memory.push(object);
      return object;
    }
    this.shootFolder ??= this.folder(
      `100${this.vendor === 'generic' ? 'SIMCAM' : this.vendor.toUpperCase()}`,
      this.folder('DCIM', 0),
    );
    const object = await this.addFile(path, this.shootFolder);
    this.announce({ code: 0x4002, params: [object.handle] });
    return object;
  }

  /** Raises an event: on the event pipe (generic), or queued for the host's next poll. */
  announce(event: CameraEventMessage): void {
    if (this.vendor === 'canon' || this.vendor === 'nikon') this.polledEvents.push(event);
    else if (this.vendor === 'generic') this.emit('event', event);
  }

  /** The object a handle names now (Sony's memory handle: the oldest image waiting). */
  object(handle: number): SimObject | undefined {
    return handle === SONY_MEMORY_HANDLE && this.vendor === 'sony'
      ? this.memory[0]
      : this.objects.get(handle);
  }

  /** Sony: the host has read the image in memory; the next one (if any) takes its place. */
  consumedFromMemory(): void {
    this.memory.shift();
  }

  async read(object: SimObject, offset: number, length: number): Promise<Buffer> {
    if (object.bytes !== undefined) return object.bytes.subarray(offset, offset + length);
    const handle = await fs.open(object.path ?? '', 'r');
    try {
      const buf = Buffer.allocUnsafe(length);
      const { bytesRead } = await handle.read(buf, 0, length, offset);
      return buf.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  }

  /** Should the link be cut now that an object's data phase has sent `sent` bytes? (consumes the fault) */
  cutAt(sent: number): boolean {
    const next = this.faults.disconnectAfterBytes?.[0];
    if (next === undefined || sent < next) return false;
    this.faults.disconnectAfterBytes?.shift();
    return true;
  }

  takeMalformed(op: number): MalformedReply['kind'] | undefined {
    const list = this.faults.malformed ?? [];
    const at = list.findIndex((m) => m.op === op);
    if (at < 0) return undefined;
    const [found] = list.splice(at, 1);
    return found?.kind;
  }

  takeBusy(): boolean {
    if ((this.faults.busyResponses ?? 0) <= 0) return false;
    this.faults.busyResponses = (this.faults.busyResponses ?? 0) - 1;
    return true;
  }

  get operations(): number[] {
    return this.requests.map((r) => r.code);
  }

  children(parent: number): SimObject[] {
    return [...this.objects.values()].filter((o) => o.parent === parent);
  }
}

const VENDOR_DEFAULTS: Record<VendorStyle, { manufacturer: string; model: string }> = {
  generic: { manufacturer: 'FieldBackup', model: 'Simulated PTP Camera' },
  canon: { manufacturer: 'Canon Inc.', model: 'Canon EOS Simulator' },
  nikon: { manufacturer: 'Nikon Corporation', model: 'NIKON Z Simulator' },
  sony: { manufacturer: 'Sony Corporation', model: 'ILCE-Simulator' },
};

/** PTP object format code from a file name. */
export function formatOf(name: string): number {
  const formats: Record<string, number> = {
    '.jpg': 0x3801,
    '.jpeg': 0x3801,
    '.tif': 0x380d,
    '.tiff': 0x380d,
    '.dng': 0x3811,
    '.cr2': 0xb101,
    '.arw': 0xb101,
    '.cr3': 0xb108,
    '.raf': 0xb103,
    '.mov': 0x300d,
    '.mp4': 0xb982,
    '.wav': 0x3008,
    '.avi': 0x300a,
  };
  return formats[extname(name).toLowerCase()] ?? 0x3000;
}
