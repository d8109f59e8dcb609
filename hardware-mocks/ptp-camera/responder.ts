import {
  SONY_MEMORY_HANDLE,
  STORAGE_ID,
  formatOf,
  type SimObject,
  type SimulatedCamera,
} from './camera.js';
import { Wire, ptpDate } from './wire.js';

/** The bytes of a data phase, read on demand (objects can be tens of MB). */
export interface DataSource {
  readonly length: number;
  read(offset: number, length: number): Promise<Buffer>;
}

export interface Reply {
  readonly code: number;
  readonly params?: readonly number[];
  readonly data?: DataSource;
  /** The data is an object's bytes (link-cut faults count these). */
  readonly isObject?: boolean;
  /** Runs once every data byte was sent (Sony lets go of an image it delivered). */
  readonly afterData?: () => void;
}

const RC = {
  OK: 0x2001,
  SessionNotOpen: 0x2003,
  OperationNotSupported: 0x2005,
  InvalidStorageID: 0x2008,
  InvalidObjectHandle: 0x2009,
  NoThumbnailPresent: 0x2010,
  StoreReadOnly: 0x200e,
  DeviceBusy: 0x2019,
  InvalidParentObject: 0x201a,
  InvalidParameter: 0x201d,
  SessionAlreadyOpened: 0x201e,
} as const;

const STANDARD_OPS = [
  0x1001, 0x1002, 0x1003, 0x1004, 0x1005, 0x1007, 0x1008, 0x1009, 0x100a, 0x100b,
];
const VENDOR: Record<SimulatedCamera['vendor'], { id: number; ops: number[]; events: number[] }> = {
  generic: { id: 0, ops: [], events: [0x4002, 0x400a, 0x400d] },
  canon: { id: 0x0b, ops: [0x910f, 0x9114, 0x9115, 0x9116, 0x9117], events: [] },
  nikon: { id: 0x0a, ops: [0x90c7], events: [0x4002] },
  sony: { id: 0x11, ops: [0x9201, 0x9202, 0x9209], events: [] },
};

const bytesOf = (b: Buffer): DataSource => ({
  length: b.byteLength,
  read: (offset, length) => Promise.resolve(b.subarray(offset, offset + length)),
});

/** One PTP session's side of the camera: operation in, response (and data) out. */
export class PtpResponder {
  private open = false;

  constructor(private readonly camera: SimulatedCamera) {}

  handle(code: number, params: readonly number[], badDataset = false): Promise<Reply> {
    this.camera.requests.push({ code, params: [...params] });
    return Promise.resolve(this.reply(code, params, badDataset));
  }

  private reply(code: number, params: readonly number[], badDataset: boolean): Reply {
    if (code === 0x1001) return this.dataset(this.deviceInfo(), badDataset);
    if (code === 0x1002) {
      if (params[0] === undefined || params[0] === 0) return { code: RC.InvalidParameter };
      if (this.open) return { code: RC.SessionAlreadyOpened };
      this.open = true;
      return { code: RC.OK };
    }
    if (!this.open) return { code: RC.SessionNotOpen };
    const [p1 = 0, p2 = 0, p3 = 0] = params;
    switch (code) {
      case 0x1003:
        this.open = false;
        return { code: RC.OK };
      case 0x1004:
        return this.dataset(new Wire().a32([STORAGE_ID]).buffer(), badDataset);
      case 0x1005:
        return p1 === STORAGE_ID
          ? this.dataset(this.storageInfo(), badDataset)
          : { code: RC.InvalidStorageID };
      case 0x1007:
        return this.handles(p1, p2, p3);
      case 0x1008: {
        const object = this.camera.object(p1);
        return object === undefined
          ? { code: RC.InvalidObjectHandle }
          : this.dataset(this.objectInfo(object), badDataset);
      }
      case 0x1009:
        return this.objectData(p1, 0, Infinity, false);
      case 0x101b:
        return this.camera.partialObject
          ? this.objectData(p1, p2, p3, true)
          : { code: RC.OperationNotSupported };
      case 0x100a:
        return { code: RC.NoThumbnailPresent };
      case 0x100b:
        // A backup box must never get here; gphoto2 does without --keep. The card stays as it is.
        return { code: RC.StoreReadOnly };
      default:
        return this.vendorOp(code, badDataset);
    }
  }

  private dataset(bytes: Buffer, bad: boolean): Reply {
    // A string whose length byte claims 200 characters where 2 bytes follow.
    const data = bad
      ? Buffer.concat([
          bytes.subarray(0, Math.min(bytes.byteLength, 8)),
          Buffer.from([200, 0x41, 0]),
        ])
      : bytes;
    return { code: RC.OK, data: bytesOf(data) };
  }

  private supportedOps(): number[] {
    return [
      ...STANDARD_OPS,
      ...(this.camera.partialObject ? [0x101b] : []),
      ...VENDOR[this.camera.vendor].ops,
    ];
  }

  private deviceInfo(): Buffer {
    const v = VENDOR[this.camera.vendor];
    return new Wire()
      .u16(100)
      .u32(v.id)
      .u16(v.id === 0 ? 0 : 100)
      .str(v.id === 0 ? '' : 'microsoft.com: 1.0')
      .u16(0)
      .a16(this.supportedOps())
      .a16(v.events)
      .a16([])
      .a16([0x3801])
      .a16([0x3801, 0x3000, 0xb101, 0x3001])
      .str(this.camera.manufacturer)
      .str(this.camera.model)
      .str('1.0.0')
      .str(this.camera.serial)
      .buffer();
  }

  private storageInfo(): Buffer {
    const used = [...this.camera.objects.values()].reduce((n, o) => n + o.size, 0);
    const capacity = 64 * 1024 ** 3;
    return new Wire()
      .u16(4) // removable RAM: a memory card
      .u16(3) // DCF
      .u16(0)
      .u64(capacity)
      .u64(Math.max(0, capacity - used))
      .u32(0xffffffff)
      .str('SD')
      .str('EOS_DIGITAL')
      .buffer();
  }

  private objectInfo(o: SimObject): Buffer {
    const date = ptpDate(o.mtimeMs);
    return new Wire()
      .u32(STORAGE_ID)
      .u16(o.folder ? 0x3001 : formatOf(o.name))
      .u16(0)
      .u32(o.size)
      .u16(0)
      .u32(0)
      .u32(0)
      .u32(0)
      .u32(0)
      .u32(0)
      .u32(0)
      .u32(o.parent)
      .u16(o.folder ? 1 : 0)
      .u32(0)
      .u32(0)
      .str(o.name)
      .str(date)
      .str(date)
      .str('')
      .buffer();
  }

  private handles(storage: number, format: number, parent: number): Reply {
    if (storage !== 0xffffffff && storage !== STORAGE_ID) return { code: RC.InvalidStorageID };
    let list: SimObject[];
    if (parent === 0) list = [...this.camera.objects.values()];
    else if (parent === 0xffffffff) list = this.camera.children(0);
    else {
      const folder = this.camera.objects.get(parent);
      if (folder?.folder !== true) return { code: RC.InvalidParentObject };
      list = this.camera.children(parent);
    }
    const wanted = list.filter(
      (o) => format === 0 || (o.folder ? 0x3001 : formatOf(o.name)) === format,
    );
    return { code: RC.OK, data: bytesOf(new Wire().a32(wanted.map((o) => o.handle)).buffer()) };
  }

  private objectData(handle: number, offset: number, max: number, partial: boolean): Reply {
    const object = this.camera.object(handle);
    if (object === undefined || object.folder) return { code: RC.InvalidObjectHandle };
    if (offset > object.size) return { code: RC.InvalidParameter };
    if (this.camera.takeBusy()) return { code: RC.DeviceBusy };
    const length = Math.min(max, object.size - offset);
    const fromMemory = handle === SONY_MEMORY_HANDLE;
    return {
      code: RC.OK,
      ...(partial ? { params: [length] } : {}),
      isObject: true,
      data: { length, read: (at, n) => this.camera.read(object, offset + at, n) },
      ...(fromMemory && offset + length === object.size
        ? { afterData: () => this.camera.consumedFromMemory() }
        : {}),
    };
  }

  private vendorOp(code: number, bad: boolean): Reply {
    if (!this.supportedOps().includes(code)) return { code: RC.OperationNotSupported };
    switch (code) {
      case 0x9116: // Canon EOS GetEvent
        return this.dataset(this.canonEvents(), bad);
      case 0x90c7: // Nikon GetEvent
        return this.dataset(this.nikonEvents(), bad);
      case 0x9201: // Sony SDIOConnect
        return this.dataset(new Wire().u32(0).u32(0).buffer(), bad);
      case 0x9202: // Sony GetExtDeviceInfo
        return this.dataset(
          new Wire().u16(0xc8).a16([0x9201, 0x9202, 0x9209, 0x5007, 0xd215]).buffer(),
          bad,
        );
      case 0x9209: // Sony GetAllExtDevicePropInfo
        return this.dataset(this.sonyProperties(), bad);
      default:
        return { code: RC.OK }; // Canon remote/event mode, TransferComplete
    }
  }

  private canonEvents(): Buffer {
    const w = new Wire();
    for (const e of this.camera.polledEvents.splice(0)) {
      const object = this.camera.objects.get(e.params[0] ?? 0);
      const name = Buffer.from(`${object?.name ?? ''}\0`, 'latin1');
      // ObjectAdded becomes ObjectAddedEx (capture to card); other codes (0xC186: in RAM) go as they are.
      w.u32(0x28 + name.byteLength)
        .u32(e.code === 0x4002 ? 0xc181 : e.code)
        .u32(e.params[0] ?? 0)
        .u32(STORAGE_ID)
        .u32(formatOf(object?.name ?? ''));
      w.u32(0)
        .u32(0)
        .u32(object?.size ?? 0)
        .u32(object?.parent ?? 0)
        .u32(0)
        .bytes(name);
    }
    // A property change record the client must skip, then the terminator.
    return w.u32(16).u32(0xc189).u32(0xd101).u32(5).u32(8).u32(0).buffer();
  }

  private nikonEvents(): Buffer {
    const events = this.camera.polledEvents.splice(0);
    const w = new Wire().u16(events.length);
    for (const e of events) w.u16(e.code).u32(e.params[0] ?? 0);
    return w.buffer();
  }

  /** Two properties like a 2024 body sends them (an enum with its second list), then 0xD215. */
  private sonyProperties(): Buffer {
    const waiting = this.camera.memory.length;
    const w = new Wire().u32(3).u32(0);
    w.u16(0x5007)
      .u16(0x0004)
      .u8(1)
      .u8(1)
      .u16(280)
      .u16(400)
      .u8(2)
      .enum16([280, 400, 560])
      .enum16([400, 560]);
    w.u16(0xd20d).u16(0xffff).u8(0).u8(2).str('').str('2024').u8(0);
    w.u16(0xd215)
      .u16(0x0004)
      .u8(0)
      .u8(1)
      .u16(0)
      .u16(waiting === 0 ? 0 : 0x8000 + waiting)
      .u8(0);
    return w.buffer();
  }
}
