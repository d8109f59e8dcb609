import {
  MAX_EVENT_PARAMS,
  MAX_PARAMS,
  type PtpEvent,
  type PtpRequest,
  type PtpResponse,
} from './messages.js';
import { DataReader, DataWriter, protocolError } from './reader.js';

/** PTP/IP (CIPA DC-005) packet types. */
export const Packet = {
  InitCommandRequest: 0x01,
  InitCommandAck: 0x02,
  InitEventRequest: 0x03,
  InitEventAck: 0x04,
  InitFail: 0x05,
  OperationRequest: 0x06,
  OperationResponse: 0x07,
  Event: 0x08,
  StartData: 0x09,
  Data: 0x0a,
  Cancel: 0x0b,
  EndData: 0x0c,
  ProbeRequest: 0x0d,
  ProbeResponse: 0x0e,
} as const;

export const PTPIP_HEADER = 8;
export const PTPIP_VERSION = 0x00010000;
/** OperationRequest's DataPhaseInfo: no data, or data from the camera to us. */
export const DATA_PHASE_NONE_OR_IN = 1;
/** Control packets are small; anything larger than this is hostile. Data is streamed, never buffered whole. */
const MAX_CONTROL_PACKET = 4096;

export function encodeInitCommandRequest(guid: Uint8Array, name: string): Buffer {
  const body = new DataWriter().bytes(guid).nulTerminatedUtf16(name).u32(PTPIP_VERSION).toBuffer();
  return withHeader(Packet.InitCommandRequest, body);
}

export function encodeInitEventRequest(connectionNumber: number): Buffer {
  return withHeader(Packet.InitEventRequest, new DataWriter().u32(connectionNumber).toBuffer());
}

export function encodeOperationRequest(request: PtpRequest): Buffer {
  const w = new DataWriter()
    .u32(DATA_PHASE_NONE_OR_IN)
    .u16(request.code)
    .u32(request.transactionId);
  for (const p of request.params) w.u32(p);
  return withHeader(Packet.OperationRequest, w.toBuffer());
}

export function encodeProbeResponse(): Buffer {
  return withHeader(Packet.ProbeResponse, Buffer.alloc(0));
}

function withHeader(type: number, body: Buffer): Buffer {
  const head = new DataWriter()
    .u32(PTPIP_HEADER + body.byteLength)
    .u32(type)
    .toBuffer();
  return Buffer.concat([head, body]);
}

export interface InitCommandAck {
  readonly connectionNumber: number;
  readonly guid: Uint8Array;
  readonly name: string;
}

export function parseInitCommandAck(payload: Uint8Array): InitCommandAck {
  const r = new DataReader(payload, 'PTP/IP InitCommandAck');
  const connectionNumber = r.u32('ConnectionNumber');
  const guid = r.bytesOf(16, 'GUID');
  const name = r.nulTerminatedUtf16('FriendlyName');
  return { connectionNumber, guid, name };
}

/** InitFail reasons: 1 rejected initiator, 2 busy, 3 unspecified. */
export function parseInitFail(payload: Uint8Array): number {
  return payload.byteLength >= 4 ? new DataReader(payload, 'PTP/IP InitFail').u32('Reason') : 3;
}

function paramsOf(r: DataReader, max: number, what: string): number[] {
  if (r.remaining % 4 !== 0)
    throw protocolError(`${what} parameters are not whole u32 values`, 'Params');
  const count = r.remaining / 4;
  if (count > max)
    throw protocolError(`${what} has ${count} parameters (at most ${max})`, 'Params');
  const out: number[] = [];
  for (let i = 0; i < count; i++) out.push(r.u32('Param'));
  return out;
}

export function parseOperationResponse(payload: Uint8Array): PtpResponse {
  const r = new DataReader(payload, 'PTP/IP OperationResponse');
  const code = r.u16('ResponseCode');
  const transactionId = r.u32('TransactionID');
  return { code, transactionId, params: paramsOf(r, MAX_PARAMS, 'OperationResponse') };
}

export function parseEventPacket(payload: Uint8Array): PtpEvent {
  const r = new DataReader(payload, 'PTP/IP Event');
  const code = r.u16('EventCode');
  const transactionId = r.u32('TransactionID');
  return { code, transactionId, params: paramsOf(r, MAX_EVENT_PARAMS, 'Event') };
}

export interface StartData {
  readonly transactionId: number;
  readonly totalLength: number;
}

export function parseStartData(payload: Uint8Array): StartData {
  const r = new DataReader(payload, 'PTP/IP StartData');
  return { transactionId: r.u32('TransactionID'), totalLength: r.u64('TotalDataLength') };
}

/** One piece of what arrives on a PTP/IP socket. */
export type Frame =
  | { readonly kind: 'packet'; readonly type: number; readonly payload: Buffer }
  /** Part of a Data or EndData packet's payload; `last` on the packet's final piece. */
  | {
      readonly kind: 'data';
      readonly type: number;
      readonly transactionId: number;
      readonly bytes: Buffer;
      readonly last: boolean;
    };

/**
 * Splits a PTP/IP byte stream into packets. Data packets are passed on piece by piece as the
 * socket delivers them (a 60 MB object never sits in memory whole); every other packet is
 * collected, and one longer than a few KiB is refused as hostile.
 */
export class PacketSplitter {
  private pending: Buffer = Buffer.alloc(0);
  /** Bytes of the current data packet's payload still to come, with its type and TID. */
  private dataLeft = 0;
  private dataType = 0;
  private dataTid = 0;

  push(chunk: Buffer): Frame[] {
    const frames: Frame[] = [];
    let buf = this.pending.byteLength === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    for (;;) {
      if (this.dataLeft > 0) {
        if (buf.byteLength === 0) break;
        const n = Math.min(this.dataLeft, buf.byteLength);
        this.dataLeft -= n;
        frames.push({
          kind: 'data',
          type: this.dataType,
          transactionId: this.dataTid,
          bytes: buf.subarray(0, n),
          last: this.dataLeft === 0,
        });
        buf = buf.subarray(n);
        continue;
      }
      if (buf.byteLength < PTPIP_HEADER) break;
      const length = buf.readUInt32LE(0);
      const type = buf.readUInt32LE(4);
      if (length < PTPIP_HEADER)
        throw protocolError(`PTP/IP packet length ${length} is shorter than its header`, 'Length');
      const isData = type === Packet.Data || type === Packet.EndData;
      if (isData) {
        if (length < PTPIP_HEADER + 4)
          throw protocolError(
            `PTP/IP data packet of ${length} bytes has no transaction id`,
            'Length',
          );
        if (buf.byteLength < PTPIP_HEADER + 4) break;
        this.dataType = type;
        this.dataTid = buf.readUInt32LE(PTPIP_HEADER);
        this.dataLeft = length - PTPIP_HEADER - 4;
        buf = buf.subarray(PTPIP_HEADER + 4);
        if (this.dataLeft === 0)
          frames.push({
            kind: 'data',
            type,
            transactionId: this.dataTid,
            bytes: Buffer.alloc(0),
            last: true,
          });
        continue;
      }
      if (length > MAX_CONTROL_PACKET)
        throw protocolError(`PTP/IP packet of type ${type} claims ${length} bytes`, 'Length');
      if (buf.byteLength < length) break;
      frames.push({
        kind: 'packet',
        type,
        payload: Buffer.from(buf.subarray(PTPIP_HEADER, length)),
      });
      buf = buf.subarray(length);
    }
    // Keep only what belongs to an incomplete header or control packet (always small).
    this.pending = Buffer.from(buf);
    return frames;
  }
}
