import { UsbLinkError, type UsbPtpLink } from '../hardware/ports/index.js';
import type { PtpEvent, PtpRequest, PtpResponse } from './ptp/messages.js';
import { protocolError } from './ptp/reader.js';
import {
  ContainerType,
  HEADER_BYTES,
  LENGTH_UNKNOWN,
  encodeCommand,
  parseEventContainer,
  parseHeader,
  parseResponse,
  type ContainerHeader,
} from './ptp/usb-container.js';
import { deviceGone, fromDevice, type PtpTransport } from './transport.js';

/** Bulk IN reads of 1 MiB: a multiple of every packet size, few callbacks per object. */
const READ_BYTES = 1 << 20;
/** Zero-length packets tolerated before a container header (one may trail a data phase). */
const MAX_EMPTY_READS = 4;

export interface UsbTransportOptions {
  /** How long one transfer may stay silent before the camera counts as gone. */
  readonly timeoutMs?: number;
}

/**
 * PTP over USB bulk and interrupt pipes: a command container out; a data container in (split
 * over as many transfers as it takes, surplus bytes kept for the next container); a response.
 */
export class UsbPtpTransport implements PtpTransport {
  readonly kind = 'usb';
  readonly location: string;
  private readonly timeoutMs: number;
  /** Bytes that arrived after the end of the previous container. */
  private surplus: Buffer = Buffer.alloc(0);
  private busy = false;

  constructor(
    private readonly link: UsbPtpLink,
    options: UsbTransportOptions = {},
  ) {
    this.location = `usb:${link.info.id}`;
    this.timeoutMs = options.timeoutMs ?? 10_000;
  }

  async *transaction(request: PtpRequest): AsyncGenerator<Uint8Array, PtpResponse, undefined> {
    if (this.busy) throw new Error('PTP transactions must not overlap');
    this.busy = true;
    let data: DataPhase | undefined;
    let done = false;
    try {
      await this.guard(
        this.link.bulkOut(encodeCommand(request), this.timeoutMs),
        'sending a command',
      );
      let head = await this.readContainerStart();
      if (head.header.type === ContainerType.Data) {
        this.expect(head.header, request, 'data');
        data = new DataPhase(head.header, head.bytes.subarray(HEADER_BYTES));
        for (;;) {
          const piece = data.take();
          if (piece.byteLength > 0) yield piece;
          if (data.finished) break;
          data.feed(await this.read());
        }
        this.surplus = data.surplus;
        data = undefined;
        head = await this.readContainerStart();
      }
      if (head.header.type !== ContainerType.Response) {
        throw protocolError(
          `expected a response container, got type ${head.header.type}`,
          'ContainerType',
        );
      }
      const response = parseResponse(await this.complete(head), head.header);
      if (response.transactionId !== request.transactionId) {
        throw protocolError(
          `response to transaction ${request.transactionId} carries ${response.transactionId}`,
          'TransactionID',
        );
      }
      done = true;
      return response;
    } catch (err) {
      done = true;
      throw fromDevice(err, this.location);
    } finally {
      if (!done) await this.drain(data, request);
      this.busy = false;
    }
  }

  async nextEvent(timeoutMs: number): Promise<PtpEvent | undefined> {
    try {
      const bytes = await this.guard(this.link.interruptIn(timeoutMs), 'reading events');
      return bytes === undefined || bytes.byteLength === 0 ? undefined : parseEventContainer(bytes);
    } catch (err) {
      throw fromDevice(err, this.location);
    }
  }

  close(): Promise<void> {
    return this.link.close();
  }

  private expect(header: ContainerHeader, request: PtpRequest, phase: string): void {
    if (header.transactionId !== request.transactionId || header.code !== request.code) {
      throw protocolError(
        `${phase} container for operation 0x${header.code.toString(16)} transaction ${header.transactionId} while 0x${request.code.toString(16)} transaction ${request.transactionId} runs`,
        'TransactionID',
      );
    }
  }

  /** The first bytes of the next container: at least its header. */
  private async readContainerStart(): Promise<{ header: ContainerHeader; bytes: Buffer }> {
    let bytes = this.surplus;
    this.surplus = Buffer.alloc(0);
    for (let empty = 0; bytes.byteLength < HEADER_BYTES;) {
      const more = await this.read();
      if (more.byteLength === 0 && ++empty > MAX_EMPTY_READS)
        throw protocolError('only empty packets where a container should start');
      bytes = Buffer.concat([bytes, more]);
    }
    return { header: parseHeader(bytes), bytes };
  }

  /** A response container whole (it is at most 32 bytes, but may still straddle two reads). */
  private async complete(head: { header: ContainerHeader; bytes: Buffer }): Promise<Buffer> {
    let bytes = head.bytes;
    while (bytes.byteLength < head.header.length) {
      const more = await this.read();
      if (more.byteLength === 0) throw protocolError('response container cut short');
      bytes = Buffer.concat([bytes, more]);
    }
    this.surplus = bytes.subarray(head.header.length);
    return bytes.subarray(0, head.header.length);
  }

  private async read(): Promise<Buffer> {
    try {
      return await this.guard(this.link.bulkIn(READ_BYTES, this.timeoutMs), 'reading');
    } catch (err) {
      if (!(err instanceof UsbStall)) throw err;
      // A stalled pipe is cleared and read once more (what PTP hosts do), then given up on.
      await this.guard(this.link.clearHalt(), 'clearing a stall');
      return this.guard(this.link.bulkIn(READ_BYTES, this.timeoutMs), 'reading after a stall');
    }
  }

  private async guard<T>(op: Promise<T>, what: string): Promise<T> {
    try {
      return await op;
    } catch (err) {
      if (err instanceof UsbLinkError) {
        if (err.failure === 'stall') throw new UsbStall(err.message);
        throw deviceGone(
          this.location,
          `${what}: ${err.failure === 'timeout' ? 'no answer' : err.message}`,
          err,
        );
      }
      throw err;
    }
  }

  /** The consumer left mid-transaction: read on to the response so the next one starts clean. */
  private async drain(data: DataPhase | undefined, request: PtpRequest): Promise<void> {
    try {
      if (data !== undefined) {
        data.take();
        while (!data.finished) {
          data.feed(await this.read());
          data.take();
        }
        this.surplus = data.surplus;
      }
      const head = await this.readContainerStart();
      if (head.header.type === ContainerType.Response) {
        parseResponse(await this.complete(head), head.header);
        return;
      }
      throw protocolError(
        `after an abandoned transaction ${request.transactionId}, container type ${head.header.type}`,
      );
    } catch {
      // The pipe is out of step; the next transaction fails and the link is reset by the session.
      this.surplus = Buffer.alloc(0);
    }
  }
}

class UsbStall extends Error {}

/** One data container's payload as it arrives over one or more bulk transfers. */
class DataPhase {
  private left: number | undefined;
  private buffered: Buffer;
  private done = false;
  surplus: Buffer = Buffer.alloc(0);

  constructor(header: ContainerHeader, first: Buffer) {
    this.left = header.length === LENGTH_UNKNOWN ? undefined : header.length - HEADER_BYTES;
    this.buffered = first;
  }

  get finished(): boolean {
    return this.done;
  }

  /** The payload bytes buffered so far (the caller yields them). */
  take(): Buffer {
    const buf = this.buffered;
    this.buffered = Buffer.alloc(0);
    if (this.left === undefined) return buf;
    const mine = buf.subarray(0, this.left);
    this.surplus = buf.subarray(mine.byteLength);
    this.left -= mine.byteLength;
    if (this.left === 0) this.done = true;
    return mine;
  }

  feed(bytes: Buffer): void {
    if (this.left === undefined) {
      // Length beyond 32 bits: the container ends with a short (or empty) transfer.
      if (bytes.byteLength < READ_BYTES) this.done = true;
    } else if (bytes.byteLength === 0) {
      throw protocolError(
        `data container cut short: ${this.left} bytes missing`,
        'ContainerLength',
      );
    }
    this.buffered = bytes;
  }
}
