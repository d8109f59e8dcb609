import type {
  BatteryGauge,
  Button,
  DriveWatcher,
  EinkPanel,
  Led,
  LedColor,
  Mounter,
  NetworkState,
  PowerControl,
  UsbPtpBus,
} from '../hardware/ports/index.js';

/**
 * The hardware the box runs on, real (`openBoxHardware`) or simulated (hardware-mocks/): only
 * the drive watcher, the mounter and the power switch are required; a missing screen, LED,
 * gauge or button just means the box does without.
 */
export interface BoxParts {
  readonly drives: DriveWatcher;
  readonly mounter: Mounter;
  readonly power: PowerControl;
  readonly leds?: Partial<Record<LedColor, Led>>;
  readonly button?: Button;
  readonly panel?: EinkPanel;
  readonly gauge?: BatteryGauge;
  readonly usb?: UsbPtpBus;
  /** The Wi-Fi the box is on; with the config's `sync.target`, the box syncs by itself at home. */
  readonly network?: NetworkState;
  /** Problems met while opening the hardware (a screen that did not answer): shown, not fatal. */
  readonly problems?: readonly string[];
  /** Releases GPIO lines and buses. */
  close(): Promise<void>;
}
