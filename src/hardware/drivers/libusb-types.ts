/*
 * The part of the `usb` package (2.x, libusb) this driver uses, spelled out so that the real
 * module and hardware-mocks' simulated camera are interchangeable and the compiler checks both.
 */
export interface LibusbError {
  readonly errno?: number;
  readonly message: string;
}
export type Done = (error?: LibusbError) => void;

export interface LibusbEndpointDescriptor {
  readonly bEndpointAddress: number;
  readonly bmAttributes: number;
  readonly wMaxPacketSize: number;
}

export interface LibusbInterfaceDescriptor {
  readonly bInterfaceNumber: number;
  readonly bAlternateSetting: number;
  readonly bInterfaceClass: number;
  readonly bInterfaceSubClass: number;
  readonly bInterfaceProtocol: number;
  readonly endpoints: readonly LibusbEndpointDescriptor[];
}

export interface LibusbEndpoint {
  readonly direction: 'in' | 'out';
  readonly transferType: number;
  readonly descriptor: LibusbEndpointDescriptor;
  timeout: number;
}

export interface LibusbInEndpoint extends LibusbEndpoint {
  transfer(
    length: number,
    callback: (error: LibusbError | undefined, data?: Buffer) => void,
  ): unknown;
  clearHalt(callback: Done): void;
}

export interface LibusbOutEndpoint extends LibusbEndpoint {
  transferWithZLP(buffer: Buffer, callback: Done): void;
}

export interface LibusbInterface {
  readonly endpoints: readonly LibusbEndpoint[];
  claim(): void;
  release(closeEndpoints: boolean, callback: Done): void;
  isKernelDriverActive(): boolean;
  detachKernelDriver(): void;
}

export interface LibusbDevice {
  readonly busNumber: number;
  readonly deviceAddress: number;
  readonly portNumbers?: readonly number[];
  readonly deviceDescriptor: {
    readonly idVendor: number;
    readonly idProduct: number;
    readonly iManufacturer: number;
    readonly iProduct: number;
    readonly iSerialNumber: number;
  };
  readonly configDescriptor?:
    { readonly interfaces: readonly (readonly LibusbInterfaceDescriptor[])[] } | undefined;
  open(defaultConfig?: boolean): void;
  close(): void;
  interface(number: number): LibusbInterface;
  getStringDescriptor(index: number, callback: (error?: LibusbError, value?: string) => void): void;
}

export interface LibusbLibrary {
  getDeviceList(): readonly LibusbDevice[];
  readonly usb: {
    on(event: 'attach' | 'detach', listener: (device: unknown) => void): unknown;
    removeListener(event: 'attach' | 'detach', listener: (device: unknown) => void): unknown;
  };
}
