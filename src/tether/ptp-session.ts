import { FieldBackupError, type ErrorCode } from '../core/index.js';
import { Op, Response, hex, responseName } from './ptp/codes.js';
import {
  parseDeviceInfo,
  parseObjectInfo,
  parseStorageInfo,
  parseU32Array,
  type DeviceInfo,
  type ObjectInfo,
  type StorageInfo,
} from './ptp/datasets.js';
import type { PtpResponse } from './ptp/messages.js';
import { protocolError } from './ptp/reader.js';
import { READ_ONLY_OPERATIONS } from './read-only-operations.js';
import type { PtpTransport } from './transport.js';

/** Datasets (device info, object info, handle lists, vendor event lists) are small; more is hostile. */
const MAX_DATASET = 16 << 20;
/** GetPartialObject requests: large enough to stream at full speed, small enough to resume often. */
const PARTIAL_BLOCK = 32 << 20;
const MAX_U32 = 0xffffffff;

export interface SessionOptions {
  /** DeviceBusy answers retried this many times before giving up. */
  readonly busyRetries?: number;
  readonly busyDelayMs?: number;
}

/** What a response code means for the file or operation it concerned. */
function codeFor(response: number): ErrorCode {
  switch (response) {
    case Response.InvalidObjectHandle:
    case Response.InvalidStorageID:
    case Response.StoreNotAvailable:
      return 'E_SOURCE_MISSING';
    case Response.AccessDenied:
      return 'E_SOURCE_DENIED';
    case Response.DeviceBusy:
      return 'E_DEVICE_BUSY';
    default:
      return 'E_SOURCE_READ';
  }
}

/**
 * A PTP session on one transport: numbers transactions (OpenSession is 0), runs one at a time,
 * retries DeviceBusy, parses datasets, and streams objects (GetPartialObject, resumable at any
 * offset, when the camera has it).
 */
export class PtpSession {
  private nextTid = 1;
  private queue: Promise<unknown> = Promise.resolve();
  private info: DeviceInfo | undefined;

  private constructor(
    readonly transport: PtpTransport,
    private readonly options: SessionOptions,
  ) {}

  static async open(transport: PtpTransport, options: SessionOptions = {}): Promise<PtpSession> {
    // A camera that answers InvalidTransactionID wants another session id (gphoto2 does the same).
    for (let sessionId = 1; ; sessionId++) {
      const gen = transport.transaction({
        code: Op.OpenSession,
        transactionId: 0,
        params: [sessionId],
      });
      const response = await drainResponse(gen);
      if (response.code === Response.OK || response.code === Response.SessionAlreadyOpened) break;
      if (response.code !== Response.InvalidTransactionID || sessionId >= 3) {
        throw new FieldBackupError(
          codeFor(response.code),
          `camera at ${transport.location} refused OpenSession: ${responseName(response.code)}`,
          {
            subject: { device: transport.location },
            retryable: response.code === Response.DeviceBusy,
          },
        );
      }
    }
    const session = new PtpSession(transport, options);
    session.info = parseDeviceInfo(await session.dataset(Op.GetDeviceInfo, []));
    return session;
  }

  get deviceInfo(): DeviceInfo {
    if (this.info === undefined) throw new Error('PTP session is not open');
    return this.info;
  }

  get location(): string {
    return this.transport.location;
  }

  supports(operation: number): boolean {
    return this.deviceInfo.operations.has(operation);
  }

  async storageIds(): Promise<number[]> {
    return parseU32Array(await this.dataset(Op.GetStorageIDs, []), 'StorageIDs');
  }

  async storageInfo(storageId: number): Promise<StorageInfo> {
    return parseStorageInfo(await this.dataset(Op.GetStorageInfo, [storageId]));
  }

  async objectHandles(storageId: number, parent: number): Promise<number[]> {
    return parseU32Array(
      await this.dataset(Op.GetObjectHandles, [storageId, 0, parent]),
      'ObjectHandles',
    );
  }

  async objectInfo(handle: number): Promise<ObjectInfo> {
    return parseObjectInfo(await this.dataset(Op.GetObjectInfo, [handle]));
  }

  /** Runs an operation with a small data phase (datasets, vendor event lists). */
  async dataset(code: number, params: readonly number[]): Promise<Buffer> {
    return this.exclusive(async () => {
      const { response, data } = await this.withBusyRetry(code, params, async (gen) => {
        const parts: Uint8Array[] = [];
        let size = 0;
        let step = await gen.next();
        for (; step.done !== true; step = await gen.next()) {
          size += step.value.byteLength;
          if (size > MAX_DATASET) {
            await gen.return(undefined as never);
            throw protocolError(`operation ${hex(code)} returned more than ${MAX_DATASET} bytes`);
          }
          parts.push(step.value);
        }
        return { response: step.value, data: Buffer.concat(parts) };
      });
      this.check(code, params, response);
      return data;
    });
  }

  /** Runs an operation without a data phase. */
  async command(code: number, params: readonly number[]): Promise<void> {
    await this.dataset(code, params);
  }

  /**
   * The bytes of an object from `offset` to `size`, in order. With GetPartialObject they come
   * in blocks (so a lost link resumes where it stopped); without it, only from offset 0.
   */
  async *readObject(handle: number, offset: number, size: number): AsyncGenerator<Uint8Array> {
    if (size === 0) return;
    if (!this.supports(Op.GetPartialObject) || size > MAX_U32) {
      if (offset > 0) {
        throw new FieldBackupError(
          'E_SOURCE_READ',
          `camera at ${this.location} cannot resume an object (no GetPartialObject)`,
          {
            subject: { device: this.location },
            retryable: true,
          },
        );
      }
      const got = yield* this.streamBlock(Op.GetObject, [handle], size);
      if (got !== size)
        throw protocolError(
          `object ${hex(handle, 8)} sent ${got} of ${size} bytes`,
          'ObjectCompressedSize',
        );
      return;
    }
    for (let at = offset; at < size;) {
      const want = Math.min(PARTIAL_BLOCK, size - at);
      const got = yield* this.streamBlock(Op.GetPartialObject, [handle, at, want], want);
      if (got === 0)
        throw protocolError(
          `object ${hex(handle, 8)} ended at ${at} of ${size} bytes`,
          'ObjectCompressedSize',
        );
      at += got;
    }
  }

  async close(): Promise<void> {
    try {
      await this.command(Op.CloseSession, []);
    } catch {
      // The camera may already be gone; closing the transport is what matters.
    } finally {
      await this.transport.close();
    }
  }

  private async *streamBlock(
    code: number,
    params: readonly number[],
    want: number,
  ): AsyncGenerator<Uint8Array, number> {
    const release = await this.lock();
    let transaction: AsyncGenerator<Uint8Array, PtpResponse> | undefined;
    let finished = false;
    try {
      let got = 0;
      const started = await this.startWithBusyRetry(code, params);
      transaction = started.gen;
      let step = await started.first;
      for (; step.done !== true; step = await transaction.next()) {
        got += step.value.byteLength;
        if (got > want) {
          throw protocolError(
            `object data longer than the ${want} bytes asked for`,
            'ObjectCompressedSize',
          );
        }
        yield step.value;
      }
      finished = true;
      this.check(code, params, step.value);
      return got;
    } finally {
      // Left early (the reader stopped, or too much data): the transport drains the rest
      // before the next transaction may start.
      if (!finished) await transaction?.return(undefined as never);
      release();
    }
  }

  /** Starts a transaction and reads its first step; DeviceBusy before any data is retried. */
  private async startWithBusyRetry(
    code: number,
    params: readonly number[],
  ): Promise<{
    gen: AsyncGenerator<Uint8Array, PtpResponse>;
    first: Promise<IteratorResult<Uint8Array, PtpResponse>>;
  }> {
    const retries = this.options.busyRetries ?? 20;
    for (let attempt = 0; ; attempt++) {
      const gen = this.begin(code, params);
      const first = await gen.next();
      if (first.done === true && first.value.code === Response.DeviceBusy && attempt < retries) {
        await delay(this.options.busyDelayMs ?? 250);
        continue;
      }
      return { gen, first: Promise.resolve(first) };
    }
  }

  private async withBusyRetry<T extends { response: PtpResponse }>(
    code: number,
    params: readonly number[],
    run: (gen: AsyncGenerator<Uint8Array, PtpResponse>) => Promise<T>,
  ): Promise<T> {
    const retries = this.options.busyRetries ?? 20;
    for (let attempt = 0; ; attempt++) {
      const result = await run(this.begin(code, params));
      if (result.response.code !== Response.DeviceBusy || attempt >= retries) return result;
      await delay(this.options.busyDelayMs ?? 250);
    }
  }

  private begin(code: number, params: readonly number[]): AsyncGenerator<Uint8Array, PtpResponse> {
    if (!READ_ONLY_OPERATIONS.has(code))
      throw new Error(`operation ${hex(code)} is not on the read-only list`);
    const transactionId = this.nextTid;
    this.nextTid = this.nextTid >= 0xfffffffe ? 1 : this.nextTid + 1;
    return this.transport.transaction({ code, transactionId, params });
  }

  private check(code: number, params: readonly number[], response: PtpResponse): void {
    if (response.code === Response.OK) return;
    throw new FieldBackupError(
      codeFor(response.code),
      `camera at ${this.location} answered ${responseName(response.code)} to operation ${hex(code)}(${params.map((p) => hex(p, 8)).join(', ')})`,
      { subject: { device: this.location }, retryable: response.code === Response.DeviceBusy },
    );
  }

  private async exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const release = await this.lock();
    try {
      return await fn();
    } finally {
      release();
    }
  }

  /** One transaction at a time: event polling waits while an object streams, and vice versa. */
  private lock(): Promise<() => void> {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const ready = this.queue.then(() => release);
    this.queue = this.queue.then(() => held);
    return ready;
  }
}

async function drainResponse(gen: AsyncGenerator<Uint8Array, PtpResponse>): Promise<PtpResponse> {
  let step = await gen.next();
  while (step.done !== true) step = await gen.next();
  return step.value;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
