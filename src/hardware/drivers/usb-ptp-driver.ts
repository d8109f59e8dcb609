import {
  UsbLinkError,
  type UsbFailure,
  type UsbPtpBus,
  type UsbPtpDeviceInfo,
  type UsbPtpLink,
} from '../ports/index.js';
import type {
  LibusbDevice,
  LibusbEndpoint,
  LibusbError,
  LibusbInEndpoint,
  LibusbInterface,
  LibusbInterfaceDescriptor,
  LibusbLibrary,
  LibusbOutEndpoint,
} from './libusb-types.js';

const CLASS_STILL_IMAGE = 6;
const TRANSFER_BULK = 2;
const TRANSFER_INTERRUPT = 3;

/** libusb's transfer statuses (positive) and error codes (negative) → what the transport does. */
function failureOf(err: LibusbError): UsbFailure {
  switch (err.errno) {
    case 5: // LIBUSB_TRANSFER_NO_DEVICE
    case -4: // LIBUSB_ERROR_NO_DEVICE
      return 'gone';
    case 2: // LIBUSB_TRANSFER_TIMED_OUT
    case -7: // LIBUSB_ERROR_TIMEOUT
      return 'timeout';
    case 4: // LIBUSB_TRANSFER_STALL
    case -9: // LIBUSB_ERROR_PIPE
      return 'stall';
    default:
      return 'io';
  }
}

function linkError(err: LibusbError, what: string): UsbLinkError {
  return new UsbLinkError(failureOf(err), `${what}: ${err.message}`);
}

interface StillImageInterface {
  readonly info: UsbPtpDeviceInfo;
  readonly descriptor: LibusbInterfaceDescriptor;
}

function stillImageInterface(device: LibusbDevice): StillImageInterface | undefined {
  let config: LibusbDevice['configDescriptor'];
  try {
    config = device.configDescriptor;
  } catch {
    return undefined; // a device whose descriptors cannot be read is not a camera we can use
  }
  for (const alternates of config?.interfaces ?? []) {
    const d = alternates.find(
      (a) =>
        a.bInterfaceClass === CLASS_STILL_IMAGE &&
        a.bInterfaceSubClass === 1 &&
        a.bInterfaceProtocol === 1,
    );
    if (d === undefined) continue;
    const ports = device.portNumbers ?? [];
    return {
      descriptor: d,
      info: {
        id:
          ports.length > 0
            ? `${device.busNumber}-${ports.join('.')}`
            : `${device.busNumber}:${device.deviceAddress}`,
        busNumber: device.busNumber,
        deviceAddress: device.deviceAddress,
        vendorId: device.deviceDescriptor.idVendor,
        productId: device.deviceDescriptor.idProduct,
        interfaceNumber: d.bInterfaceNumber,
      },
    };
  }
  return undefined;
}

/** PTP cameras on the USB bus, through libusb (`usb` 2.x) or anything with its shape. */
export class LibusbPtpBus implements UsbPtpBus {
  constructor(private readonly lib: LibusbLibrary) {}

  list(): Promise<UsbPtpDeviceInfo[]> {
    const found = this.lib.getDeviceList().map(stillImageInterface);
    return Promise.resolve(found.filter((f) => f !== undefined).map((f) => f.info));
  }

  async open(wanted: UsbPtpDeviceInfo): Promise<UsbPtpLink> {
    const device = this.lib
      .getDeviceList()
      .find((d) => d.busNumber === wanted.busNumber && d.deviceAddress === wanted.deviceAddress);
    const still = device === undefined ? undefined : stillImageInterface(device);
    if (device === undefined || still === undefined) {
      throw new UsbLinkError('gone', `USB camera ${wanted.id} is no longer on the bus`);
    }
    try {
      device.open();
    } catch (err) {
      throw linkError(err as LibusbError, `cannot open USB camera ${wanted.id}`);
    }
    try {
      const iface = device.interface(still.descriptor.bInterfaceNumber);
      if (safe(() => iface.isKernelDriverActive()) === true) iface.detachKernelDriver();
      iface.claim();
      return await LibusbPtpLink.create(device, iface, still.info);
    } catch (err) {
      device.close();
      if (err instanceof UsbLinkError) throw err;
      throw linkError(
        err as LibusbError,
        `cannot claim the PTP interface of USB camera ${wanted.id}`,
      );
    }
  }

  watch(onChange: () => void): () => void {
    const listener = (): void => onChange();
    this.lib.usb.on('attach', listener);
    this.lib.usb.on('detach', listener);
    return () => {
      this.lib.usb.removeListener('attach', listener);
      this.lib.usb.removeListener('detach', listener);
    };
  }
}

function safe<T>(fn: () => T): T | undefined {
  try {
    return fn();
  } catch {
    return undefined;
  }
}

class LibusbPtpLink implements UsbPtpLink {
  private interruptPending: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly device: LibusbDevice,
    private readonly iface: LibusbInterface,
    readonly info: UsbPtpDeviceInfo,
    private readonly bulkInEp: LibusbInEndpoint,
    private readonly bulkOutEp: LibusbOutEndpoint,
    private readonly interruptEp: LibusbInEndpoint,
    readonly manufacturer: string | undefined,
    readonly product: string | undefined,
    readonly serialNumber: string | undefined,
  ) {}

  static async create(
    device: LibusbDevice,
    iface: LibusbInterface,
    info: UsbPtpDeviceInfo,
  ): Promise<LibusbPtpLink> {
    const find = (dir: 'in' | 'out', type: number): LibusbEndpoint | undefined =>
      iface.endpoints.find((e) => e.direction === dir && e.transferType === type);
    const bulkIn = find('in', TRANSFER_BULK) as LibusbInEndpoint | undefined;
    const bulkOut = find('out', TRANSFER_BULK) as LibusbOutEndpoint | undefined;
    const interrupt = find('in', TRANSFER_INTERRUPT) as LibusbInEndpoint | undefined;
    if (bulkIn === undefined || bulkOut === undefined || interrupt === undefined) {
      throw new UsbLinkError(
        'io',
        `USB camera ${info.id} lacks a bulk IN, bulk OUT or interrupt pipe`,
      );
    }
    const text = (index: number): Promise<string | undefined> =>
      index === 0
        ? Promise.resolve(undefined)
        : new Promise((resolve) =>
            device.getStringDescriptor(index, (err, value) =>
              resolve(err === undefined ? value : undefined),
            ),
          );
    const d = device.deviceDescriptor;
    return new LibusbPtpLink(
      device,
      iface,
      info,
      bulkIn,
      bulkOut,
      interrupt,
      await text(d.iManufacturer),
      await text(d.iProduct),
      await text(d.iSerialNumber),
    );
  }

  get maxPacketSize(): number {
    return this.bulkInEp.descriptor.wMaxPacketSize || 512;
  }

  bulkOut(data: Uint8Array, timeoutMs: number): Promise<void> {
    this.bulkOutEp.timeout = timeoutMs;
    return new Promise((resolve, reject) => {
      this.bulkOutEp.transferWithZLP(
        Buffer.from(data.buffer, data.byteOffset, data.byteLength),
        (err) =>
          err === undefined
            ? resolve()
            : reject(linkError(err, `USB camera ${this.info.id}: bulk OUT`)),
      );
    });
  }

  bulkIn(maxBytes: number, timeoutMs: number): Promise<Buffer> {
    return this.transferIn(this.bulkInEp, maxBytes, timeoutMs, 'bulk IN');
  }

  async interruptIn(timeoutMs: number): Promise<Buffer | undefined> {
    const size = this.interruptEp.descriptor.wMaxPacketSize || 64;
    const pending = this.transferIn(this.interruptEp, size, timeoutMs, 'interrupt IN');
    this.interruptPending = pending.catch(() => undefined);
    try {
      return await pending;
    } catch (err) {
      if (err instanceof UsbLinkError && err.failure === 'timeout') return undefined;
      throw err;
    }
  }

  clearHalt(): Promise<void> {
    return new Promise((resolve, reject) =>
      this.bulkInEp.clearHalt((err) =>
        err === undefined ? resolve() : reject(linkError(err, 'clear halt')),
      ),
    );
  }

  async close(): Promise<void> {
    // libusb refuses to release an interface with a transfer pending: the event read ends within its timeout.
    await this.interruptPending;
    await new Promise<void>((resolve) => this.iface.release(true, () => resolve()));
    safe(() => this.device.close());
  }

  private transferIn(
    ep: LibusbInEndpoint,
    length: number,
    timeoutMs: number,
    what: string,
  ): Promise<Buffer> {
    ep.timeout = timeoutMs;
    return new Promise((resolve, reject) => {
      ep.transfer(length, (err, data) => {
        if (err !== undefined) reject(linkError(err, `USB camera ${this.info.id}: ${what}`));
        else resolve(data ?? Buffer.alloc(0));
      });
    });
  }
}

/** The real bus: loads libusb (the `usb` package, 2.x line) on first use. */
export async function openLibusbBus(): Promise<UsbPtpBus> {
  const lib: LibusbLibrary = await import('usb');
  return new LibusbPtpBus(lib);
}
