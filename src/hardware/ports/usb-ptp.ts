/**
 * The USB side of a camera tethered by cable: still-image-class (PTP) interfaces on the bus,
 * and one claimed interface's three pipes. The real driver sits on libusb (`usb` 2.x);
 * hardware-mocks/ simulates a camera at the same level for tests.
 */

/** A still-image interface as the bus describes it, before it is opened. */
export interface UsbPtpDeviceInfo {
  /** Stable while the device stays plugged in: bus and port path (e.g. "1-1.3"). */
  readonly id: string;
  readonly busNumber: number;
  readonly deviceAddress: number;
  readonly vendorId: number;
  readonly productId: number;
  readonly interfaceNumber: number;
}

/** Which pipe failed and why, in terms the transport can act on. */
export type UsbFailure = 'gone' | 'timeout' | 'stall' | 'io';

export interface UsbPtpLink {
  readonly info: UsbPtpDeviceInfo;
  /** From the string descriptors, when the device gave them. */
  readonly manufacturer?: string;
  readonly product?: string;
  readonly serialNumber?: string;
  /** wMaxPacketSize of the bulk IN pipe: a data phase whose length is a multiple of it ends with a zero-length packet. */
  readonly maxPacketSize: number;
  /** Writes to bulk OUT (a zero-length packet follows when the length is a multiple of the packet size). */
  bulkOut(data: Uint8Array, timeoutMs: number): Promise<void>;
  /** One bulk IN transfer of at most `maxBytes` (a multiple of maxPacketSize); a short result ends a container. */
  bulkIn(maxBytes: number, timeoutMs: number): Promise<Buffer>;
  /** One interrupt IN transfer (events); undefined when nothing came within the timeout. */
  interruptIn(timeoutMs: number): Promise<Buffer | undefined>;
  /** Clears a stalled bulk IN pipe (PTP's answer to a stall). */
  clearHalt(): Promise<void>;
  /** Releases the interface and closes the device. */
  close(): Promise<void>;
}

/** Thrown by a link: `failure` says whether the device is gone, slow, or stalled. */
export class UsbLinkError extends Error {
  override readonly name = 'UsbLinkError';
  constructor(
    readonly failure: UsbFailure,
    message: string,
  ) {
    super(message);
  }
}

export interface UsbPtpBus {
  /** Still-image interfaces now on the bus (class 6, subclass 1, protocol 1). */
  list(): Promise<UsbPtpDeviceInfo[]>;
  /** Opens the device and claims its still-image interface. */
  open(device: UsbPtpDeviceInfo): Promise<UsbPtpLink>;
  /** Calls `onChange` when a device is plugged in or out; returns the function that stops it. */
  watch(onChange: () => void): () => void;
}
