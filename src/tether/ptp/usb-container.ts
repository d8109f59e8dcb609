import {
  MAX_EVENT_PARAMS,
  MAX_PARAMS,
  type PtpEvent,
  type PtpRequest,
  type PtpResponse,
} from './messages.js';
import { DataReader, DataWriter, protocolError } from './reader.js';

/** PTP over USB: every phase is a generic container with this 12-byte header. */
export const HEADER_BYTES = 12;
export const ContainerType = { Command: 1, Data: 2, Response: 3, Event: 4 } as const;
/** A data container of 4 GiB or more: its end is a short packet. */
export const LENGTH_UNKNOWN = 0xffffffff;

export interface ContainerHeader {
  readonly length: number;
  readonly type: number;
  readonly code: number;
  readonly transactionId: number;
}

export function encodeCommand(request: PtpRequest): Buffer {
  const w = new DataWriter()
    .u32(HEADER_BYTES + 4 * request.params.length)
    .u16(ContainerType.Command)
    .u16(request.code)
    .u32(request.transactionId);
  for (const p of request.params) w.u32(p);
  return w.toBuffer();
}

export function parseHeader(bytes: Uint8Array): ContainerHeader {
  const r = new DataReader(bytes, 'USB container header');
  const length = r.u32('ContainerLength');
  const type = r.u16('ContainerType');
  const code = r.u16('Code');
  const transactionId = r.u32('TransactionID');
  if (type < ContainerType.Command || type > ContainerType.Event) {
    throw protocolError(`unknown USB container type ${type}`, 'ContainerType');
  }
  if (length < HEADER_BYTES) {
    throw protocolError(
      `USB container length ${length} is shorter than its header`,
      'ContainerLength',
    );
  }
  if (type !== ContainerType.Data && length > HEADER_BYTES + 4 * MAX_PARAMS) {
    throw protocolError(
      `USB ${type === ContainerType.Event ? 'event' : 'response'} container of ${length} bytes`,
      'ContainerLength',
    );
  }
  return { length, type, code, transactionId };
}

/** Parameters of a response or event container: (length − 12) / 4 of them. */
function params(bytes: Uint8Array, header: ContainerHeader, max: number): number[] {
  const extra = header.length - HEADER_BYTES;
  if (extra % 4 !== 0)
    throw protocolError(`container parameters are not whole u32 values (${extra} bytes)`, 'Params');
  if (bytes.byteLength < header.length)
    throw protocolError(
      `container says ${header.length} bytes, ${bytes.byteLength} arrived`,
      'ContainerLength',
    );
  const r = new DataReader(bytes.subarray(0, header.length), 'USB container', HEADER_BYTES);
  const out: number[] = [];
  for (let i = 0; i < Math.min(extra / 4, max); i++) out.push(r.u32('Param'));
  return out;
}

export function parseResponse(bytes: Uint8Array, header: ContainerHeader): PtpResponse {
  return {
    code: header.code,
    transactionId: header.transactionId,
    params: params(bytes, header, MAX_PARAMS),
  };
}

export function parseEventContainer(bytes: Uint8Array): PtpEvent {
  const header = parseHeader(bytes);
  if (header.type !== ContainerType.Event) {
    throw protocolError(
      `interrupt endpoint sent a container of type ${header.type}, not an event`,
      'ContainerType',
    );
  }
  return {
    code: header.code,
    transactionId: header.transactionId,
    params: params(bytes, header, MAX_EVENT_PARAMS),
  };
}
