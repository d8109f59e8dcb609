import { FieldBackupError } from '../core/index.js';
import { UsbLinkError, type UsbPtpBus, type UsbPtpDeviceInfo } from '../hardware/ports/index.js';
import { pause } from './pause.js';
import { PtpIpTransport, type PtpIpOptions } from './ptpip-transport.js';
import { deviceGone, type PtpTransport } from './transport.js';
import { UsbPtpTransport } from './usb-transport.js';

/** How to reach one camera; the link calls it again after every loss. */
export interface CameraConnector {
  /** For messages: "a USB camera", "ptpip:192.168.1.20:15740". */
  readonly description: string;
  /** A transport to the camera now, or E_DEVICE_GONE when it is not there. */
  connect(): Promise<PtpTransport>;
  /** Resolves when trying again may help: a USB device came or went, or `ms` passed. */
  waitForChange(ms: number, signal: AbortSignal): Promise<void>;
}

export interface UsbConnectorOptions {
  /** Bus and port path ("1-1.3") of the camera to use; else the first camera found. */
  readonly deviceId?: string;
  readonly timeoutMs?: number;
}

/** The camera on a USB cable: the first still-image device, preferring the one used last. */
export class UsbCameraConnector implements CameraConnector {
  readonly description = 'a USB camera';
  private lastId: string | undefined;

  constructor(
    private readonly bus: UsbPtpBus,
    private readonly options: UsbConnectorOptions = {},
  ) {
    this.lastId = options.deviceId;
  }

  async connect(): Promise<PtpTransport> {
    const devices = await this.bus.list();
    const pick = (id: string | undefined): UsbPtpDeviceInfo | undefined =>
      id === undefined ? undefined : devices.find((d) => d.id === id);
    const device =
      pick(this.lastId) ?? (this.options.deviceId === undefined ? devices[0] : undefined);
    if (device === undefined) {
      const where =
        this.options.deviceId === undefined ? 'on USB' : `at USB port ${this.options.deviceId}`;
      throw new FieldBackupError(
        'E_DEVICE_GONE',
        `no PTP camera ${where}: connect one and switch it on`,
        {
          subject: { device: 'usb' },
          retryable: true,
        },
      );
    }
    try {
      const link = await this.bus.open(device);
      this.lastId = device.id;
      return new UsbPtpTransport(
        link,
        this.options.timeoutMs === undefined ? {} : { timeoutMs: this.options.timeoutMs },
      );
    } catch (err) {
      if (err instanceof UsbLinkError) throw deviceGone(`usb:${device.id}`, err.message, err);
      throw err;
    }
  }

  waitForChange(ms: number, signal: AbortSignal): Promise<void> {
    return pause(ms, signal, (wake) => this.bus.watch(wake));
  }
}

/** A camera on the network (Wi-Fi): PTP/IP to a fixed address. */
export class PtpIpCameraConnector implements CameraConnector {
  readonly description: string;

  constructor(private readonly options: PtpIpOptions) {
    this.description = `ptpip:${options.host}:${options.port ?? 15740}`;
  }

  connect(): Promise<PtpTransport> {
    return PtpIpTransport.connect(this.options);
  }

  waitForChange(ms: number, signal: AbortSignal): Promise<void> {
    return pause(ms, signal);
  }
}
