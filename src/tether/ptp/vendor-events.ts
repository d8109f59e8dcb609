import { PtpEventCode, SONY_OBJECT_IN_MEMORY } from './codes.js';
import type { PtpEvent } from './messages.js';
import { DataReader, protocolError } from './reader.js';

/** What a vendor's polled event data says about images. */
export type VendorSignal =
  | { readonly kind: 'object-added'; readonly handle: number }
  /** Canon EOS capture to PC: the image is only in the camera's RAM until fetched and acknowledged. */
  | { readonly kind: 'transfer-request'; readonly handle: number }
  | { readonly kind: 'capture-complete' }
  | { readonly kind: 'store-full' };

const CANON_RECORD_HEADER = 8;

/**
 * Canon EOS GetEvent (0x9116) data: records {u32 size, u32 type, body}, ended by a record of
 * size 8 and type 0. Only the object records matter here; the handle is at offset 8 of each.
 */
export function parseCanonEosEvents(data: Uint8Array): VendorSignal[] {
  const r = new DataReader(data, 'Canon EOS GetEvent');
  const out: VendorSignal[] = [];
  while (r.remaining > 0) {
    const start = r.offset;
    const size = r.u32('record size');
    const type = r.u32('record type');
    if (size < CANON_RECORD_HEADER || size - CANON_RECORD_HEADER > r.remaining) {
      throw protocolError(
        `Canon EOS event record at offset ${start} claims ${size} bytes`,
        'record size',
      );
    }
    if (type === 0) break;
    const body = new DataReader(
      r.bytesOf(size - CANON_RECORD_HEADER, 'record body'),
      `Canon EOS event 0x${type.toString(16)}`,
    );
    switch (type) {
      case PtpEventCode.CanonEosObjectAddedEx:
      case PtpEventCode.CanonEosObjectAddedEx64:
        out.push({ kind: 'object-added', handle: body.u32('ObjectHandle') });
        break;
      case PtpEventCode.CanonEosRequestObjectTransfer:
      case PtpEventCode.CanonEosRequestObjectTransfer64:
        out.push({ kind: 'transfer-request', handle: body.u32('ObjectHandle') });
        break;
      default:
        break;
    }
  }
  return out;
}

/** Nikon GetEvent (0x90C7): u16 count, then {u16 code, u32 param} per event. */
export function parseNikonEvents(data: Uint8Array): PtpEvent[] {
  const r = new DataReader(data, 'Nikon GetEvent');
  const count = r.u16('event count');
  if (count * 6 > r.remaining)
    throw protocolError(
      `Nikon GetEvent claims ${count} events in ${r.remaining} bytes`,
      'event count',
    );
  const out: PtpEvent[] = [];
  for (let i = 0; i < count; i++)
    out.push({ code: r.u16('event code'), transactionId: 0, params: [r.u32('event param')] });
  return out;
}

/** Nikon GetEventEx (0x941C): count in the first u16, events from offset 4: {u16 code, u16 n, n × u32}. */
export function parseNikonEventsEx(data: Uint8Array): PtpEvent[] {
  const r = new DataReader(data, 'Nikon GetEventEx');
  const count = r.u16('event count');
  r.skip(2, 'reserved');
  if (count * 4 > r.remaining)
    throw protocolError(
      `Nikon GetEventEx claims ${count} events in ${r.remaining} bytes`,
      'event count',
    );
  const out: PtpEvent[] = [];
  for (let i = 0; i < count; i++) {
    const code = r.u16('event code');
    const n = r.u16('parameter count');
    if (n > 5)
      throw protocolError(
        `Nikon event 0x${code.toString(16)} claims ${n} parameters`,
        'parameter count',
      );
    const params: number[] = [];
    for (let p = 0; p < n; p++) params.push(r.u32('event param'));
    out.push({ code, transactionId: 0, params });
  }
  return out;
}

/** Standard event codes (from an event pipe or a vendor list) → what they mean for backup. */
export function signalOf(event: PtpEvent): VendorSignal | undefined {
  switch (event.code) {
    case PtpEventCode.ObjectAdded:
    case PtpEventCode.NikonObjectAddedInSdram:
    case PtpEventCode.RequestObjectTransfer:
      return event.params[0] === undefined
        ? undefined
        : { kind: 'object-added', handle: event.params[0] };
    case PtpEventCode.CaptureComplete:
      return { kind: 'capture-complete' };
    case PtpEventCode.StoreFull:
      return { kind: 'store-full' };
    default:
      return undefined;
  }
}

const SCALAR_BYTES = new Map([
  [0x0001, 1],
  [0x0002, 1],
  [0x0003, 2],
  [0x0004, 2],
  [0x0005, 4],
  [0x0006, 4],
  [0x0007, 8],
  [0x0008, 8],
  [0x0009, 16],
  [0x000a, 16],
]);
const STRING = 0xffff;
const ARRAY = 0x4000;

/** Skips one property value of `type`; returns it when it is an integer of ≤ 4 bytes. */
function readValue(r: DataReader, type: number, field: string): number | undefined {
  if (type === STRING) {
    r.string(field);
    return undefined;
  }
  if ((type & ARRAY) !== 0) {
    const size = SCALAR_BYTES.get(type & ~ARRAY);
    if (size === undefined) throw protocolError(`unknown array type 0x${type.toString(16)}`, field);
    r.array(field, (x) => (x.skip(size, field), 0), size);
    return undefined;
  }
  const size = SCALAR_BYTES.get(type);
  switch (size) {
    case undefined:
      throw protocolError(`unknown data type 0x${type.toString(16)}`, field);
    case 1:
      return r.u8(field);
    case 2:
      return r.u16(field);
    case 4:
      return r.u32(field);
    default:
      r.skip(size, field);
      return undefined;
  }
}

/**
 * Sony GetAllExtDevicePropInfo (0x9209): u32 count, u32 0, then Sony property descriptors
 * {u16 code, u16 type, u8 getSet, u8 enabled, default, current, u8 form, form data[, second
 * enum list on 2024+ bodies]}. Returns the current value of ObjectInMemory (0xD215), or
 * undefined when the camera did not list it.
 */
export function sonyObjectInMemory(data: Uint8Array): number | undefined {
  const r = new DataReader(data, 'Sony property list');
  r.skip(8, 'property count');
  while (r.remaining > 0) {
    const code = r.u16('property code');
    const type = r.u16('data type');
    r.skip(2, 'GetSet and IsEnabled');
    readValue(r, type, 'default value');
    const current = readValue(r, type, 'current value');
    if (code === SONY_OBJECT_IN_MEMORY) return current;
    const form = r.remaining > 0 ? r.u8('form flag') : 0;
    if (form === 1) for (const f of ['minimum', 'maximum', 'step']) readValue(r, type, f);
    const enumList = (): void => {
      const n = r.u16('enumeration count');
      for (let i = 0; i < n; i++) readValue(r, type, 'enumeration value');
    };
    if (form === 2) {
      enumList();
      // Newer bodies add the currently allowed values; a property code is never below 0x200.
      if (
        r.remaining >= 2 &&
        new DataView(data.buffer, data.byteOffset + r.offset, 2).getUint16(0, true) < 0x200
      )
        enumList();
    }
  }
  return undefined;
}
