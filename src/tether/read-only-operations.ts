import { Op } from './ptp/codes.js';

/**
 * The only operations this client ever sends. None of them deletes, writes or changes a file
 * on the camera; the vendor ones only switch on event reporting (Canon), remote mode (Sony) or
 * acknowledge a transfer from the camera's RAM (Canon).
 */
export const READ_ONLY_OPERATIONS: ReadonlySet<number> = new Set([
  Op.GetDeviceInfo,
  Op.OpenSession,
  Op.CloseSession,
  Op.GetStorageIDs,
  Op.GetStorageInfo,
  Op.GetObjectHandles,
  Op.GetObjectInfo,
  Op.GetObject,
  Op.GetPartialObject,
  Op.CanonEosSetRemoteMode,
  Op.CanonEosSetEventMode,
  Op.CanonEosGetEvent,
  Op.CanonEosTransferComplete,
  Op.NikonGetEvent,
  Op.NikonGetEventEx,
  Op.SonySdioConnect,
  Op.SonyGetExtDeviceInfo,
  Op.SonyGetAllExtDevicePropInfo,
]);
