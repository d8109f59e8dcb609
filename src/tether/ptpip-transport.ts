import { FieldBackupError } from '../core/index.js';
import { hashBytes } from '../platform/index.js';
import type { PtpEvent, PtpRequest, PtpResponse } from './ptp/messages.js';
import {
  Packet,
  encodeInitCommandRequest,
  encodeInitEventRequest,
  encodeOperationRequest,
  encodeProbeResponse,
  parseEventPacket,
  parseInitCommandAck,
  parseInitFail,
  parseOperationResponse,
  parseStartData,
  type Frame,
} from './ptp/ptpip-packets.js';
import { protocolError } from './ptp/reader.js';
import { PtpIpChannel } from './ptpip-channel.js';
import { deviceGone, fromDevice, type PtpTransport } from './transport.js';

export const PTPIP_PORT = 15740;

/** A stable 16-byte initiator GUID for a name (cameras pair with the GUID, so it must not change). */
export function initiatorGuid(name: string): Uint8Array {
  return Buffer.from(hashBytes(Buffer.from(`fieldbackup-ptpip:${name}`)), 'hex');
}

export interface PtpIpOptions {
  readonly host: string;
  readonly port?: number;
  /** The event connection's port; the command port when not given. */
  readonly eventPort?: number;
  /** Who we are to the camera: cameras pair with this GUID (16 bytes) and show the name. */
  readonly guid: Uint8Array;
  readonly friendlyName: string;
  /** How long the camera may stay silent mid-transaction before it counts as gone. */
  readonly timeoutMs?: number;
}

/**
 * PTP/IP (CIPA DC-005) over two TCP connections: commands and data on one, events on the
 * other. Init handshake: InitCommandRequest(GUID, name) → Ack(connection number) →
 * InitEventRequest(number) on the second socket → Ack.
 */
export class PtpIpTransport implements PtpTransport {
  readonly kind = 'ptpip';
  private busy = false;

  private constructor(
    readonly location: string,
    /** The camera's friendly name from the handshake. */
    readonly cameraName: string,
    private readonly command: PtpIpChannel,
    private readonly events: PtpIpChannel,
    private readonly timeoutMs: number,
  ) {}

  static async connect(options: PtpIpOptions): Promise<PtpIpTransport> {
    const port = options.port ?? PTPIP_PORT;
    const location = `ptpip:${options.host}:${port}`;
    const timeoutMs = options.timeoutMs ?? 10_000;
    const command = await PtpIpChannel.connect(options.host, port, location, timeoutMs);
    try {
      command.write(encodeInitCommandRequest(options.guid, options.friendlyName));
      const ack = initReply(
        await command.expect(timeoutMs, 'waiting for InitCommandAck'),
        Packet.InitCommandAck,
        location,
      );
      const { connectionNumber, name } = parseInitCommandAck(ack);
      const events = await PtpIpChannel.connect(
        options.host,
        options.eventPort ?? port,
        location,
        timeoutMs,
      );
      try {
        events.write(encodeInitEventRequest(connectionNumber));
        initReply(
          await events.expect(timeoutMs, 'waiting for InitEventAck'),
          Packet.InitEventAck,
          location,
        );
        return new PtpIpTransport(location, name, command, events, timeoutMs);
      } catch (err) {
        events.close();
        throw err;
      }
    } catch (err) {
      command.close();
      throw fromDevice(err, location);
    }
  }

  async *transaction(request: PtpRequest): AsyncGenerator<Uint8Array, PtpResponse, undefined> {
    if (this.busy) throw new Error('PTP transactions must not overlap');
    this.busy = true;
    const phase = new DataIn(request.transactionId);
    let done = false;
    try {
      this.command.write(encodeOperationRequest(request));
      for (;;) {
        const frame = await this.command.expect(
          this.timeoutMs,
          `operation 0x${request.code.toString(16)} runs`,
        );
        const step = phase.accept(frame);
        if (step.kind === 'bytes') {
          if (step.bytes.byteLength > 0) yield step.bytes;
        } else if (step.kind === 'response') {
          done = true;
          return step.response;
        }
      }
    } catch (err) {
      done = true;
      throw fromDevice(err, this.location);
    } finally {
      if (!done) await this.drain(phase);
      this.busy = false;
    }
  }

  async nextEvent(timeoutMs: number): Promise<PtpEvent | undefined> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const frame = await this.events.next(Math.max(0, until - Date.now()));
      if (frame === undefined) return undefined;
      if (frame.kind === 'packet' && frame.type === Packet.Event)
        return parseEventPacket(frame.payload);
      // Cameras probe the host to see whether it is still there: answer, or they hang up.
      if (frame.kind === 'packet' && frame.type === Packet.ProbeRequest)
        this.events.write(encodeProbeResponse());
    }
  }

  close(): Promise<void> {
    this.command.close();
    this.events.close();
    return Promise.resolve();
  }

  private async drain(phase: DataIn): Promise<void> {
    try {
      for (;;) {
        const frame = await this.command.expect(
          this.timeoutMs,
          'finishing an abandoned transaction',
        );
        if (phase.accept(frame).kind === 'response') return;
      }
    } catch {
      // Out of step: the next transaction fails and the session reconnects.
    }
  }
}

function initReply(frame: Frame, wanted: number, location: string): Buffer {
  if (frame.kind === 'packet' && frame.type === wanted) return frame.payload;
  if (frame.kind === 'packet' && frame.type === Packet.InitFail) {
    const reason = parseInitFail(frame.payload);
    if (reason === 2) {
      throw new FieldBackupError(
        'E_DEVICE_BUSY',
        `camera at ${location} is busy with another computer`,
        {
          subject: { device: location },
          retryable: true,
        },
      );
    }
    throw deviceGone(
      location,
      `camera refused the connection (InitFail reason ${reason}); pair it with this box first`,
    );
  }
  throw protocolError(
    `expected PTP/IP packet type ${wanted} during the handshake, got ${frame.kind === 'packet' ? frame.type : 'data'}`,
  );
}

type Step =
  | { readonly kind: 'bytes'; readonly bytes: Uint8Array }
  | { readonly kind: 'response'; readonly response: PtpResponse }
  | { readonly kind: 'none' };

/** The state of one transaction's data-in phase: StartData → Data … → EndData → Response. */
class DataIn {
  private total: number | undefined;
  private received = 0;
  private ended = false;

  constructor(private readonly tid: number) {}

  accept(frame: Frame): Step {
    if (frame.kind === 'data') {
      this.checkTid(frame.transactionId);
      if (this.total === undefined) throw protocolError('data arrived before StartData');
      if (this.ended && frame.bytes.byteLength > 0)
        throw protocolError('data after the end of the data phase');
      this.received += frame.bytes.byteLength;
      if (this.received > this.total) {
        throw protocolError(
          `camera sent more data than the ${this.total} bytes it announced`,
          'TotalDataLength',
        );
      }
      if (frame.type === Packet.EndData && frame.last) this.ended = true;
      return { kind: 'bytes', bytes: frame.bytes };
    }
    switch (frame.type) {
      case Packet.StartData: {
        const start = parseStartData(frame.payload);
        this.checkTid(start.transactionId);
        if (this.total !== undefined) throw protocolError('a second StartData in one transaction');
        this.total = start.totalLength;
        this.ended = start.totalLength === 0;
        return { kind: 'none' };
      }
      case Packet.OperationResponse: {
        const response = parseOperationResponse(frame.payload);
        this.checkTid(response.transactionId);
        if (this.total !== undefined && this.received < this.total) {
          throw protocolError(
            `response after ${this.received} of ${this.total} data bytes`,
            'TotalDataLength',
          );
        }
        return { kind: 'response', response };
      }
      case Packet.Cancel:
        throw new FieldBackupError('E_DEVICE_BUSY', `camera cancelled transaction ${this.tid}`, {
          retryable: true,
        });
      case Packet.Event:
      case Packet.ProbeRequest:
        return { kind: 'none' };
      default:
        throw protocolError(
          `unexpected PTP/IP packet type ${frame.type} on the command connection`,
          'PacketType',
        );
    }
  }

  private checkTid(tid: number): void {
    if (tid !== this.tid)
      throw protocolError(`packet for transaction ${tid} while ${this.tid} runs`, 'TransactionID');
  }
}
