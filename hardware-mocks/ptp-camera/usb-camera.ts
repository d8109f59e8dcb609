import { EventEmitter } from 'node:events';
import type {
  LibusbDevice,
  LibusbEndpointDescriptor,
  LibusbInterfaceDescriptor,
  LibusbLibrary,
} from '../../src/hardware/drivers/index.js';
import type { CameraEventMessage, SimulatedCamera } from './camera.js';
import { PtpResponder } from './responder.js';
import { BulkPipes, MockLibusbError, PipeWait, TRANSFER_NO_DEVICE } from './usb-pipes.js';
import { Wire } from './wire.js';

const MAX_PACKET = 512;
const VENDOR_IDS: Record<SimulatedCamera['vendor'], number> = {
  generic: 0x1d6b,
  canon: 0x04a9,
  nikon: 0x04b0,
  sony: 0x054c,
};

type Done = (error?: MockLibusbError) => void;

/**
 * The `usb` package (2.x) as far as a PTP driver sees it — getDeviceList(), hotplug events,
 * device/config/interface/endpoint descriptors, open/claim/release, bulk and interrupt
 * transfers with libusb's timeout and zero-length-packet behaviour, class control requests —
 * with simulated cameras plugged into it. A cut cable re-enumerates at a new address.
 */
export class MockUsb implements LibusbLibrary {
  readonly usb = new EventEmitter();
  private readonly devices: MockUsbDevice[] = [];
  private nextAddress = 2;

  getDeviceList(): MockUsbDevice[] {
    return [...this.devices];
  }

  plug(camera: SimulatedCamera, port = 1): MockUsbDevice {
    const device = new MockUsbDevice(this, camera, this.nextAddress++, port);
    this.devices.push(device);
    this.usb.emit('attach', device);
    return device;
  }

  unplug(device: MockUsbDevice): void {
    const at = this.devices.indexOf(device);
    if (at < 0) return;
    this.devices.splice(at, 1);
    device.gone = true;
    this.usb.emit('detach', device);
  }

  /** The cable is pulled mid-transfer; the camera comes back (re-enumerated) after `awayMs`. */
  cut(device: MockUsbDevice, awayMs: number): void {
    this.unplug(device);
    setTimeout(() => this.plug(device.camera, device.portNumbers[0]), awayMs);
  }
}

export class MockUsbDevice implements LibusbDevice {
  readonly busNumber = 1;
  readonly portNumbers: number[];
  gone = false;
  /** Class requests received (0x64 cancel, 0x66 reset, 0x67 status). */
  readonly controlRequests: number[] = [];
  private opened = false;
  private claimed = false;
  private pending = 0;
  private responder: PtpResponder;
  private readonly pipes: BulkPipes;
  private readonly events: Buffer[] = [];
  private readonly eventArrival = new PipeWait();
  private readonly iface: MockInterface;
  readonly deviceDescriptor;
  readonly configDescriptor: { readonly interfaces: LibusbInterfaceDescriptor[][] };

  constructor(
    private readonly bus: MockUsb,
    readonly camera: SimulatedCamera,
    readonly deviceAddress: number,
    port: number,
  ) {
    this.portNumbers = [port];
    this.responder = new PtpResponder(camera);
    this.pipes = new BulkPipes(
      camera,
      () => this.responder,
      MAX_PACKET,
      () => bus.cut(this, camera.faults.awayMs ?? 100),
    );
    this.deviceDescriptor = {
      bLength: 18,
      bDescriptorType: 1,
      bcdUSB: 0x0200,
      bDeviceClass: 0,
      bDeviceSubClass: 0,
      bDeviceProtocol: 0,
      bMaxPacketSize0: 64,
      idVendor: VENDOR_IDS[camera.vendor],
      idProduct: 0x3270,
      bcdDevice: 0x0100,
      iManufacturer: 1,
      iProduct: 2,
      iSerialNumber: 3,
      bNumConfigurations: 1,
    };
    const ep = (
      address: number,
      attributes: number,
      size: number,
    ): LibusbEndpointDescriptor & { bInterval: number } => ({
      bEndpointAddress: address,
      bmAttributes: attributes,
      wMaxPacketSize: size,
      bInterval: attributes === 3 ? 8 : 0,
    });
    const descriptor = {
      bInterfaceNumber: 0,
      bAlternateSetting: 0,
      bInterfaceClass: 6,
      bInterfaceSubClass: 1,
      bInterfaceProtocol: 1,
      endpoints: [ep(0x81, 2, MAX_PACKET), ep(0x02, 2, MAX_PACKET), ep(0x83, 3, 64)],
    };
    this.configDescriptor = { interfaces: [[descriptor]] };
    this.iface = new MockInterface(this, descriptor);
    camera.on('event', this.onEvent);
  }

  open(): void {
    if (this.gone) throw new MockLibusbError(-4, 'LIBUSB_ERROR_NO_DEVICE');
    this.opened = true;
  }

  close(): void {
    this.opened = false;
    this.camera.off('event', this.onEvent);
  }

  interface(number: number): MockInterface {
    if (!this.opened) throw new Error('Device is not opened');
    if (number !== 0) throw new Error(`no interface ${number}`);
    return this.iface;
  }

  getStringDescriptor(
    index: number,
    callback: (error?: MockLibusbError, value?: string) => void,
  ): void {
    const strings = ['', this.camera.manufacturer, this.camera.model, this.camera.serial];
    setImmediate(() =>
      this.opened
        ? callback(undefined, strings[index])
        : callback(new MockLibusbError(-4, 'not open')),
    );
  }

  controlTransfer(
    _type: number,
    request: number,
    _value: number,
    _index: number,
    _data: number | Buffer,
    callback?: (error: MockLibusbError | undefined, data?: Buffer | number) => void,
  ): this {
    this.controlRequests.push(request);
    if (request === 0x66) {
      this.pipes.reset();
      this.responder = new PtpResponder(this.camera);
    }
    const status = request === 0x67 ? new Wire().u16(4).u16(0x2001).buffer() : 0;
    setImmediate(() =>
      callback?.(this.gone ? new MockLibusbError(-4, 'LIBUSB_ERROR_NO_DEVICE') : undefined, status),
    );
    return this;
  }

  /** Runs one transfer the way libusb reports it: data, or an error with a transfer status. */
  transfer<T>(
    run: () => Promise<T>,
    callback: (error: MockLibusbError | undefined, value?: T) => void,
  ): void {
    if (!this.claimed) {
      setImmediate(() =>
        callback(new MockLibusbError(-1, 'LIBUSB_ERROR_IO: interface not claimed')),
      );
      return;
    }
    this.pending++;
    run().then(
      (value) => {
        this.pending--;
        callback(
          this.gone
            ? new MockLibusbError(TRANSFER_NO_DEVICE, 'LIBUSB_TRANSFER_NO_DEVICE')
            : undefined,
          value,
        );
      },
      (err: MockLibusbError) => {
        this.pending--;
        callback(err);
      },
    );
  }

  bulkIn(length: number, timeout: number): Promise<Buffer> {
    return this.pipes.read(length, timeout, () => this.gone);
  }

  bulkOut(bytes: Buffer): Promise<number> {
    if (this.gone)
      return Promise.reject(new MockLibusbError(TRANSFER_NO_DEVICE, 'LIBUSB_TRANSFER_NO_DEVICE'));
    this.pipes.write(bytes);
    return Promise.resolve(bytes.byteLength);
  }

  async interruptIn(timeout: number): Promise<Buffer> {
    await this.eventArrival.until(
      () => this.events.length > 0,
      () => this.gone,
      timeout,
    );
    return this.events.shift() as Buffer;
  }

  setClaimed(claimed: boolean): MockLibusbError | undefined {
    if (!claimed && this.pending > 0)
      return new MockLibusbError(-6, 'LIBUSB_ERROR_BUSY: transfers pending');
    this.claimed = claimed;
    return undefined;
  }

  private readonly onEvent = (e: CameraEventMessage): void => {
    const w = new Wire()
      .u32(12 + 4 * e.params.length)
      .u16(4)
      .u16(e.code)
      .u32(0xffffffff);
    for (const p of e.params) w.u32(p);
    this.events.push(w.buffer());
    this.eventArrival.wake();
  };
}

class MockInterface {
  readonly interfaceNumber: number;
  readonly altSetting = 0;
  readonly endpoints: (MockInEndpoint | MockOutEndpoint)[];

  constructor(
    private readonly device: MockUsbDevice,
    readonly descriptor: LibusbInterfaceDescriptor,
  ) {
    this.interfaceNumber = descriptor.bInterfaceNumber;
    this.endpoints = descriptor.endpoints.map((d) =>
      (d.bEndpointAddress & 0x80) !== 0
        ? new MockInEndpoint(device, d)
        : new MockOutEndpoint(device, d),
    );
  }

  claim(): void {
    if (this.device.gone) throw new MockLibusbError(-4, 'LIBUSB_ERROR_NO_DEVICE');
    this.device.setClaimed(true);
  }

  release(closeEndpoints: boolean | Done, callback?: Done): void {
    const done = typeof closeEndpoints === 'function' ? closeEndpoints : callback;
    const err = this.device.setClaimed(false);
    setImmediate(() => done?.(err));
  }

  isKernelDriverActive(): boolean {
    return false;
  }

  detachKernelDriver(): void {
    // No kernel driver binds to a still-image interface here.
  }

  endpoint(address: number): MockInEndpoint | MockOutEndpoint | undefined {
    return this.endpoints.find((e) => e.descriptor.bEndpointAddress === address);
  }
}

/** What both endpoint directions share: descriptor, transfer type, timeout. */
abstract class MockEndpoint {
  abstract readonly direction: 'in' | 'out';
  readonly transferType: number;
  timeout = 0;

  constructor(
    protected readonly device: MockUsbDevice,
    readonly descriptor: LibusbEndpointDescriptor,
  ) {
    this.transferType = descriptor.bmAttributes & 3;
  }
}

class MockInEndpoint extends MockEndpoint {
  readonly direction = 'in';

  transfer(
    length: number,
    callback: (error: MockLibusbError | undefined, data?: Buffer) => void,
  ): this {
    const timeout = this.timeout;
    this.device.transfer(
      () =>
        this.transferType === 3
          ? this.device.interruptIn(timeout)
          : this.device.bulkIn(length, timeout),
      callback,
    );
    return this;
  }

  clearHalt(callback: Done): void {
    setImmediate(() => callback());
  }
}

class MockOutEndpoint extends MockEndpoint {
  readonly direction = 'out';

  transfer(
    buffer: Buffer,
    callback?: (error: MockLibusbError | undefined, actual?: number) => void,
  ): this {
    this.device.transfer(
      () => this.device.bulkOut(buffer),
      (err, n) => callback?.(err, n ?? 0),
    );
    return this;
  }

  transferWithZLP(buffer: Buffer, callback: Done): void {
    this.transfer(buffer, (err) => callback(err));
  }
}
