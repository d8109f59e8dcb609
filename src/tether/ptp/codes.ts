/**
 * PTP (ISO 15740) numbers this client uses: operations, responses, events, formats, vendors.
 * Values from the standard and libgphoto2's ptp.h (see docs/tethering.md for the sources).
 */

export const Op = {
  GetDeviceInfo: 0x1001,
  OpenSession: 0x1002,
  CloseSession: 0x1003,
  GetStorageIDs: 0x1004,
  GetStorageInfo: 0x1005,
  GetObjectHandles: 0x1007,
  GetObjectInfo: 0x1008,
  GetObject: 0x1009,
  DeleteObject: 0x100b,
  GetPartialObject: 0x101b,
  CanonEosSetRemoteMode: 0x9114,
  CanonEosSetEventMode: 0x9115,
  CanonEosGetEvent: 0x9116,
  CanonEosTransferComplete: 0x9117,
  NikonGetEvent: 0x90c7,
  NikonGetEventEx: 0x941c,
  SonySdioConnect: 0x9201,
  SonyGetExtDeviceInfo: 0x9202,
  SonyGetAllExtDevicePropInfo: 0x9209,
} as const;

export const Response = {
  OK: 0x2001,
  GeneralError: 0x2002,
  SessionNotOpen: 0x2003,
  InvalidTransactionID: 0x2004,
  OperationNotSupported: 0x2005,
  ParameterNotSupported: 0x2006,
  IncompleteTransfer: 0x2007,
  InvalidStorageID: 0x2008,
  InvalidObjectHandle: 0x2009,
  StoreFull: 0x200c,
  StoreReadOnly: 0x200e,
  AccessDenied: 0x200f,
  StoreNotAvailable: 0x2013,
  DeviceBusy: 0x2019,
  InvalidParameter: 0x201d,
  SessionAlreadyOpened: 0x201e,
  TransactionCancelled: 0x201f,
} as const;

export const PtpEventCode = {
  CancelTransaction: 0x4001,
  ObjectAdded: 0x4002,
  ObjectRemoved: 0x4003,
  StoreAdded: 0x4004,
  StoreRemoved: 0x4005,
  DeviceInfoChanged: 0x4008,
  RequestObjectTransfer: 0x4009,
  StoreFull: 0x400a,
  DeviceReset: 0x400b,
  StorageInfoChanged: 0x400c,
  CaptureComplete: 0x400d,
  NikonObjectAddedInSdram: 0xc101,
  CanonEosObjectAddedEx: 0xc181,
  CanonEosRequestObjectTransfer: 0xc186,
  CanonEosObjectAddedEx64: 0xc1a7,
  CanonEosRequestObjectTransfer64: 0xc1a9,
} as const;

export const Vendor = {
  None: 0x00000000,
  Microsoft: 0x00000006,
  Nikon: 0x0000000a,
  Canon: 0x0000000b,
  Fuji: 0x0000000e,
  Sony: 0x00000011,
} as const;

export const Format = {
  Undefined: 0x3000,
  Association: 0x3001,
} as const;

/** GetObjectHandles: every storage; and the "root objects only" parent value. */
export const ALL_STORAGES = 0xffffffff;
export const ROOT_PARENT = 0xffffffff;

/** Sony keeps a captured image in memory at this fixed handle until the host fetches it. */
export const SONY_IN_MEMORY_HANDLE = 0xffffc001;
/** Sony property whose value above 0x8000 says an image waits at SONY_IN_MEMORY_HANDLE. */
export const SONY_OBJECT_IN_MEMORY = 0xd215;
/** Nikon's handle for an image held in the camera's SDRAM. */
export const NIKON_SDRAM_HANDLE = 0xffff0001;

const RESPONSE_NAMES = new Map<number, string>(Object.entries(Response).map(([k, v]) => [v, k]));

/** "DeviceBusy (0x2019)": for messages a photographer may read. */
export function responseName(code: number): string {
  return `${RESPONSE_NAMES.get(code) ?? 'response'} (0x${code.toString(16).padStart(4, '0')})`;
}

export function hex(n: number, digits = 4): string {
  return `0x${n.toString(16).padStart(digits, '0')}`;
}
