import { ALL_STORAGES, Op, PtpEventCode, SONY_IN_MEMORY_HANDLE, Vendor } from './ptp/codes.js';
import type { DeviceInfo } from './ptp/datasets.js';
import {
  parseCanonEosEvents,
  parseNikonEvents,
  parseNikonEventsEx,
  signalOf,
  sonyObjectInMemory,
  type VendorSignal,
} from './ptp/vendor-events.js';
import { pause } from './pause.js';
import type { PtpSession } from './ptp-session.js';

/**
 * How a camera tells us about new images:
 * - `interrupt`: standard events (ObjectAdded) on the USB interrupt pipe or the PTP/IP event socket;
 * - `canon-eos`: polling Canon's GetEvent (0x9116) after switching on remote and event mode;
 * - `nikon`: polling Nikon's GetEventEx (0x941C) or GetEvent (0x90C7);
 * - `sony`: Sony's PC-remote handshake, then polling property 0xD215 for an image in memory;
 * - `poll`: listing the handles and treating unseen ones as new (Fuji, or cameras that list no events).
 */
export type EventStyle = 'interrupt' | 'canon-eos' | 'nikon' | 'sony' | 'poll';

/** Picks the style from what the camera says it can do (capabilities, not model names). */
export function chooseEventStyle(info: DeviceInfo): EventStyle {
  const ops = info.operations;
  const vendor = info.vendorExtensionId;
  if (vendor === Vendor.Canon && ops.has(Op.CanonEosGetEvent)) return 'canon-eos';
  if (vendor === Vendor.Nikon && (ops.has(Op.NikonGetEventEx) || ops.has(Op.NikonGetEvent)))
    return 'nikon';
  // Over PTP/IP some Sony bodies report the MTP vendor id with a Sony manufacturer.
  const sony =
    vendor === Vendor.Sony || (vendor === Vendor.Microsoft && info.manufacturer.startsWith('Sony'));
  if (sony && ops.has(Op.SonySdioConnect) && ops.has(Op.SonyGetAllExtDevicePropInfo)) return 'sony';
  if (info.events.has(PtpEventCode.ObjectAdded)) return 'interrupt';
  return 'poll';
}

export interface CameraEvents {
  readonly style: EventStyle;
  /** What the style needs once the session is open (vendor modes). */
  prepare(): Promise<void>;
  /** The next signals; an empty list after an idle round (so the caller can look at its abort signal). */
  next(signal: AbortSignal): Promise<VendorSignal[]>;
}

/**
 * `busy(handle)` says an object is being fetched already: its signals are dropped (Sony keeps
 * reporting the image in memory until it has been read), and for polled styles they count as idle.
 */
export function cameraEvents(
  style: EventStyle,
  session: PtpSession,
  busy: (handle: number) => boolean,
): CameraEvents {
  const fresh = (signals: readonly VendorSignal[]): VendorSignal[] =>
    signals.filter((s) => !('handle' in s) || !busy(s.handle));
  switch (style) {
    case 'interrupt':
      return {
        style,
        prepare: () => Promise.resolve(),
        async next() {
          const event = await session.transport.nextEvent(1000);
          const signal = event === undefined ? undefined : signalOf(event);
          return fresh(signal === undefined ? [] : [signal]);
        },
      };
    case 'canon-eos':
      return polled(
        style,
        async () => {
          await session.command(Op.CanonEosSetRemoteMode, [1]);
          await session.command(Op.CanonEosSetEventMode, [1]);
        },
        async () => parseCanonEosEvents(await session.dataset(Op.CanonEosGetEvent, [])),
        fresh,
      );
    case 'nikon': {
      const ex = session.supports(Op.NikonGetEventEx);
      return polled(
        style,
        () => Promise.resolve(),
        async () => {
          const data = await session.dataset(ex ? Op.NikonGetEventEx : Op.NikonGetEvent, []);
          return (ex ? parseNikonEventsEx(data) : parseNikonEvents(data))
            .map(signalOf)
            .filter((s) => s !== undefined);
        },
        fresh,
      );
    }
    case 'sony':
      return polled(
        style,
        async () => {
          await session.dataset(Op.SonySdioConnect, [1, 0, 0]);
          await session.dataset(Op.SonySdioConnect, [2, 0, 0]);
          await session.dataset(Op.SonyGetExtDeviceInfo, [0xc8]);
          await session.dataset(Op.SonySdioConnect, [3, 0, 0]);
        },
        async () => {
          const waiting = sonyObjectInMemory(
            await session.dataset(Op.SonyGetAllExtDevicePropInfo, []),
          );
          return waiting !== undefined && waiting > 0x8000
            ? [{ kind: 'object-added', handle: SONY_IN_MEMORY_HANDLE }]
            : [];
        },
        fresh,
      );
    case 'poll': {
      let known: Set<number> | undefined;
      return polled(
        style,
        () => Promise.resolve(),
        async () => {
          const now = await session.objectHandles(ALL_STORAGES, 0);
          const unseen = known === undefined ? [] : now.filter((h) => !known?.has(h));
          known = new Set(now);
          return unseen.map((handle) => ({ kind: 'object-added', handle }));
        },
        fresh,
        1000,
      );
    }
  }
}

/**
 * A polled style with gphoto2's cadence: 50 ms more pause after each idle round, at most
 * `maxPauseMs`, back to none once something happened.
 */
function polled(
  style: EventStyle,
  prepare: () => Promise<void>,
  poll: () => Promise<VendorSignal[]>,
  fresh: (signals: readonly VendorSignal[]) => VendorSignal[],
  maxPauseMs = 200,
): CameraEvents {
  let delay = 0;
  return {
    style,
    prepare,
    async next(signal) {
      const signals = fresh(await poll());
      if (signals.length > 0) {
        delay = 0;
        return signals;
      }
      delay = Math.min(maxPauseMs, delay + 50);
      await pause(delay, signal);
      return [];
    },
  };
}
