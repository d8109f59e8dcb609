import type { MalformedReply, SimulatedCamera } from './camera.js';
import type { PtpResponder, Reply } from './responder.js';
import { Wire } from './wire.js';

/** libusb's transfer statuses, as the `usb` package reports them in `errno`. */
export const TRANSFER_TIMED_OUT = 2;
export const TRANSFER_STALL = 4;
export const TRANSFER_NO_DEVICE = 5;

export class MockLibusbError extends Error {
  constructor(
    readonly errno: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * What an IN transfer does while the device has nothing to send: waits until `ready()` (woken
 * through the returned `wake`), fails with NO_DEVICE once `gone()`, or TIMED_OUT after
 * `timeoutMs` (0 = forever, as libusb's).
 */
export class PipeWait {
  private waiter: (() => void) | undefined;

  wake(): void {
    this.waiter?.();
  }

  async until(ready: () => boolean, gone: () => boolean, timeoutMs: number): Promise<void> {
    const deadline = timeoutMs > 0 ? Date.now() + timeoutMs : Infinity;
    while (!ready()) {
      if (gone()) throw new MockLibusbError(TRANSFER_NO_DEVICE, 'LIBUSB_TRANSFER_NO_DEVICE');
      const left = deadline - Date.now();
      if (left <= 0) throw new MockLibusbError(TRANSFER_TIMED_OUT, 'LIBUSB_TRANSFER_TIMED_OUT');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 50));
        this.waiter = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.waiter = undefined;
    }
  }
}

/**
 * One transfer's worth of bytes the device has queued on bulk IN: a container (header +
 * payload, read on demand) that ends with a short packet, or a zero-length packet.
 */
interface InUnit {
  readonly length: number;
  pos: number;
  read(offset: number, n: number): Promise<Buffer>;
  /** Object bytes in this unit start at this offset (for link-cut faults). */
  readonly objectFrom?: number;
  /** Runs once the unit is fully delivered. */
  readonly after?: () => void;
}

function header(length: number, type: number, code: number, tid: number): Buffer {
  return new Wire().u32(length).u16(type).u16(code).u32(tid).buffer();
}

/**
 * The device end of PTP over USB bulk pipes: command containers in, data and response
 * containers out, split into packets of `maxPacket` with the zero-length packet rule.
 */
export class BulkPipes {
  private readonly units: InUnit[] = [];
  private outBuffer = Buffer.alloc(0);
  private queue: Promise<void> = Promise.resolve();
  private readonly arrival = new PipeWait();

  constructor(
    private readonly camera: SimulatedCamera,
    private readonly responder: () => PtpResponder,
    private readonly maxPacket: number,
    /** Called when a fault cuts the cable mid-object. */
    private readonly cut: () => void,
  ) {}

  /** Host → device on bulk OUT. */
  write(bytes: Buffer): void {
    this.outBuffer = Buffer.concat([this.outBuffer, bytes]);
    while (this.outBuffer.byteLength >= 12) {
      const length = this.outBuffer.readUInt32LE(0);
      if (this.outBuffer.byteLength < length) return;
      const container = this.outBuffer.subarray(0, length);
      this.outBuffer = this.outBuffer.subarray(length);
      const type = container.readUInt16LE(4);
      const code = container.readUInt16LE(6);
      const tid = container.readUInt32LE(8);
      const params: number[] = [];
      for (let at = 12; at + 4 <= length; at += 4) params.push(container.readUInt32LE(at));
      if (type === 1) this.queue = this.queue.then(() => this.run(code, tid, params));
    }
  }

  /** Device → host on bulk IN: at most `length` bytes, ending early at a short packet. */
  async read(length: number, timeoutMs: number, gone: () => boolean): Promise<Buffer> {
    await this.arrival.until(() => this.units.length > 0, gone, timeoutMs);
    const unit = this.units[0] as InUnit;
    const remaining = unit.length - unit.pos;
    if (remaining === 0) {
      this.units.shift();
      return Buffer.alloc(0);
    }
    const n = Math.min(length, remaining);
    const start = unit.pos;
    const cutNow = unit.objectFrom !== undefined && this.camera.cutAt(start + n - unit.objectFrom);
    const bytes = await unit.read(start, cutNow ? n >> 1 : n);
    if (cutNow) {
      this.cut();
      return bytes;
    }
    unit.pos += n;
    if (unit.pos === unit.length) {
      this.units.shift();
      // A container that fills its last packet exactly is followed by a zero-length packet.
      if (unit.length % this.maxPacket === 0 && n === length)
        this.units.unshift({ length: 0, pos: 0, read: () => Promise.resolve(Buffer.alloc(0)) });
      unit.after?.();
    }
    return bytes;
  }

  /** A device reset (class request 0x66): drops whatever was queued. */
  reset(): void {
    this.units.length = 0;
    this.outBuffer = Buffer.alloc(0);
  }

  private async run(code: number, tid: number, params: number[]): Promise<void> {
    const bad = this.camera.takeMalformed(code);
    const reply = await this.responder().handle(code, params, bad === 'bad-dataset');
    if (reply.data !== undefined) this.push(this.dataUnit(reply, code, tid, bad));
    const p = reply.params ?? [];
    const response = Buffer.concat([
      header(12 + 4 * p.length, 3, reply.code, bad === 'wrong-tid' ? tid + 1 : tid),
      ...p.map((v) => new Wire().u32(v).buffer()),
    ]);
    if (bad === 'huge-length') response.writeUInt32LE(0x7fffffff, 0);
    if (bad === 'short-length') response.writeUInt32LE(4, 0);
    if (bad === 'bad-type') response.writeUInt16LE(7, 4);
    this.push({
      length: response.byteLength,
      pos: 0,
      read: (o, n) => Promise.resolve(response.subarray(o, o + n)),
    });
  }

  private dataUnit(
    reply: Reply,
    code: number,
    tid: number,
    bad: MalformedReply['kind'] | undefined,
  ): InUnit {
    const data = reply.data as NonNullable<Reply['data']>;
    const announced = bad === 'too-much-data' ? data.length - 10 : data.length;
    const head = header(12 + announced, 2, code, tid);
    return {
      length: 12 + data.length,
      pos: 0,
      ...(reply.isObject === true ? { objectFrom: 12 } : {}),
      ...(reply.afterData === undefined ? {} : { after: reply.afterData }),
      async read(offset, n) {
        const parts: Buffer[] = [];
        if (offset < 12) parts.push(head.subarray(offset, Math.min(12, offset + n)));
        const from = Math.max(0, offset - 12);
        const want = offset + n - 12 - from;
        if (want > 0) parts.push(await data.read(from, want));
        return Buffer.concat(parts);
      },
    };
  }

  private push(unit: InUnit): void {
    this.units.push(unit);
    this.arrival.wake();
  }
}
