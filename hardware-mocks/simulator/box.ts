import * as fs from 'node:fs/promises';
import { join } from 'node:path';
import {
  Appliance,
  initVault,
  type Catalog,
  readMarker,
  LibusbPtpBus,
  LsblkLister,
  openBoxHardware,
  parseConfig,
  SystemNetworkState,
  type BoxParts,
  type BlockDevice,
  type BoxStatus,
  type Logger,
  type ScreenPolicy,
  type VaultIo,
} from '../../src/index.js';
import { runCommand, type CommandRunner } from '../../src/hardware/drivers/index.js';
import { SimulatedUsbDrives } from '../drives/usb-drives.js';
import { FrameWriter } from '../epaper/frame-writer.js';
import { FAST_TIMINGS, SimulatedSsd1680 } from '../epaper/ssd1680-sim.js';
import { SimulatedGpioBoard } from '../gpio/board.js';
import { SimulatedBattery } from '../i2c/battery.js';
import { SimulatedI2cBus } from '../i2c/bus.js';
import { Ina219Chip } from '../i2c/chips.js';
import { MockUsb } from '../ptp-camera/usb-camera.js';
import { installFakeWifiTools, setWifiState, type WifiState } from '../wifi.js';

/** The simulated box's wiring (BCM pins), as `device/` ships it for the Waveshare HATs. */
export const SIM_PINS = {
  green: 5,
  amber: 6,
  red: 13,
  button: 26,
  panel: { dc: 25, rst: 17, busy: 24 },
} as const;

export interface SimulatedBoxOptions {
  /** Everything goes below here: vault folders, catalog, card, sysfs tree, frames. */
  readonly dir: string;
  /** Where the e-ink PNGs go (default <dir>/frames). */
  readonly frames?: string;
  readonly battery?: { readonly percent: number; readonly onMains: boolean };
  /** The NAS vault (a folder) and the Wi-Fi the box starts on: the sync region is on. */
  readonly nas?: { readonly path: string; readonly homeSsid: string; readonly wifi: WifiState };
  /** Writes to the vaults go through this (a full disk). */
  readonly vaultIo?: VaultIo;
  readonly logger?: Logger;
  readonly longPressMs?: number;
  /** 'device': the shipped timings (gauge every 10 s, Wi-Fi every 30 s, screen policy) for the idle bench. */
  readonly timings?: 'fast' | 'device';
  /**
   * Real block devices instead of folders (root): the lsblk lister keeping only these devices,
   * the kernel's partition list, the real mount path. Used by the system test with loop devices.
   */
  readonly realDrives?: (device: BlockDevice) => boolean;
  /**
   * The catalog on <dir>/home, opened by the caller to read or write beside the box (as the
   * daemon's web page does): one LMDB environment per file and process.
   */
  readonly catalog?: Catalog;
}

/** Timings that make a box run in seconds rather than minutes (the logic is unchanged). */
const SIM_SCREEN: ScreenPolicy = { partialEveryMs: 1000, fullEveryMs: 20_000, maxPartials: 30 };

/**
 * The whole box on simulated hardware: the real drivers (GPIO numbering from a sysfs tree,
 * onoff-style lines, the SSD1680 driver on a simulated controller that decodes its bytes to
 * PNG frames, the INA219 driver on a simulated I2C bus with a battery, the Wi-Fi driver on
 * fake nmcli/wpa_cli, the USB PTP driver on a simulated libusb) and the real appliance on top.
 * Only the USB drives are folders (hardware-mocks/drives): the system test uses real ones.
 */
export class SimulatedBox {
  readonly board = new SimulatedGpioBoard();
  readonly i2c = new SimulatedI2cBus();
  readonly battery: SimulatedBattery;
  readonly drives = new SimulatedUsbDrives();
  readonly usb = new MockUsb();
  readonly epaper: SimulatedSsd1680;
  readonly frames: FrameWriter;
  readonly poweredOff: string[] = [];
  readonly home: string;
  private appliance: Appliance | undefined;

  private constructor(readonly options: SimulatedBoxOptions) {
    this.battery = new SimulatedBattery({
      percent: options.battery?.percent ?? 85,
      onMains: options.battery?.onMains ?? true,
    });
    this.i2c.attach(0x42, new Ina219Chip(this.battery, 0.01));
    this.epaper = new SimulatedSsd1680(this.board, SIM_PINS.panel, 90, FAST_TIMINGS);
    this.frames = new FrameWriter(options.frames ?? join(options.dir, 'frames'));
    this.epaper.onFrame((shown) => this.frames.add(shown));
    this.home = join(options.dir, 'home');
    // The button is wired to ground with a pull-up: released reads high.
    this.board.drive(SIM_PINS.button, 1);
  }

  /** Builds the world (sysfs tree, Wi-Fi tools) and starts the box on it. */
  static async start(options: SimulatedBoxOptions): Promise<SimulatedBox> {
    const box = new SimulatedBox(options);
    await box.board.writeSysfs(join(options.dir, 'sys'));
    await fs.mkdir(box.home, { recursive: true });
    let run: CommandRunner = runCommand;
    if (options.nas !== undefined) {
      const tools = join(options.dir, 'wifi-tools');
      await installFakeWifiTools(tools, options.nas.wifi);
      // The real Wi-Fi driver spawns nmcli / wpa_cli: here it finds the fake ones first.
      run = (command, args, timeoutMs) =>
        runCommand(
          ['nmcli', 'wpa_cli'].includes(command) ? join(tools, command) : command,
          args,
          timeoutMs,
        );
    }
    const config = parseConfig(box.configYaml(), join(options.dir, 'fieldbackup.yaml'));
    const parts: BoxParts = await openBoxHardware(config.hardware, {
      loadGpio: () => Promise.resolve(box.board.Gpio),
      openSpi: () => Promise.resolve(box.epaper),
      openI2c: () => Promise.resolve(box.i2c),
      ...(options.realDrives === undefined
        ? { lister: box.drives, probe: box.drives, mounter: box.drives }
        : { lister: new LsblkLister(options.realDrives) }),
      power: {
        powerOff: (reason) => {
          box.poweredOff.push(reason);
          return Promise.resolve();
        },
      },
      openUsb: () => Promise.resolve(new LibusbPtpBus(box.usb)),
      network: new SystemNetworkState({ run }),
      ...(options.logger === undefined ? {} : { logger: options.logger }),
    });
    box.appliance = await Appliance.start({
      config,
      home: box.home,
      parts,
      ...(options.timings === 'device'
        ? {}
        : {
            screenPolicy: SIM_SCREEN,
            timing: { resyncMs: 60_000, syncRetryMs: 2_000 },
            stackQuietMs: 500,
          }),
      ...(options.logger === undefined ? {} : { logger: options.logger }),
      ...(options.vaultIo === undefined ? {} : { vaultIo: options.vaultIo }),
      ...(options.catalog === undefined ? {} : { catalog: options.catalog }),
    });
    return box;
  }

  get box(): Appliance {
    if (this.appliance === undefined) throw new Error('the simulated box is not started');
    return this.appliance;
  }

  status(): BoxStatus {
    return this.box.status();
  }

  /** Resolves with the first status that satisfies `until`; fails after `timeoutMs`. */
  waitFor(what: string, until: (s: BoxStatus) => boolean, timeoutMs = 60_000): Promise<BoxStatus> {
    return new Promise((resolve, reject) => {
      const check = (s: BoxStatus): boolean => {
        if (!until(s)) return false;
        clearTimeout(timer);
        stop();
        resolve(s);
        return true;
      };
      const timer = setTimeout(() => {
        stop();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      const stop = this.box.onStatus((s) => void check(s));
      check(this.box.status());
    });
  }

  /** An SSD plugged in: <dir>/<label> holding a vault (made empty the first time). */
  async plugSsd(label: string): Promise<string> {
    const folder = join(this.options.dir, label.toLowerCase());
    await readMarker(folder).catch(() => initVault(folder, { label }));
    return this.drives.plugSsd(folder, label);
  }

  /** Holds the button down for `ms` (as a finger does, through the debounce), then lets go. */
  async press(ms: number): Promise<void> {
    this.board.drive(SIM_PINS.button, 0);
    await new Promise((resolve) => setTimeout(resolve, ms));
    this.board.drive(SIM_PINS.button, 1);
  }

  async walkTo(wifi: WifiState): Promise<void> {
    await setWifiState(join(this.options.dir, 'wifi-tools'), wifi);
  }

  /** Stops the box (as the service stops), unless it already shut itself down. */
  async stop(): Promise<void> {
    if (this.appliance === undefined) return;
    const s = this.appliance.status();
    if (s.mode !== 'off' && s.mode !== 'stopped') await this.appliance.stop();
    else await this.appliance.whenEnded();
    await this.frames.flushed();
  }

  private configYaml(): string {
    const { options } = this;
    const nas = options.nas;
    const fast = options.timings !== 'device';
    return `version: 1
ingest:
  concurrency: 2
hardware:
  gpio:
    sysfs: ${JSON.stringify(join(options.dir, 'sys'))}
  leds: { green: ${SIM_PINS.green}, amber: ${SIM_PINS.amber}, red: ${SIM_PINS.red} }
  button: { pin: ${SIM_PINS.button}, longPressMs: ${options.longPressMs ?? 3000}, debounceMs: 20 }
  panel:
    type: ssd1680
    pins: { dc: ${SIM_PINS.panel.dc}, rst: ${SIM_PINS.panel.rst}, busy: ${SIM_PINS.panel.busy} }
${fast ? '    fullRefreshSeconds: 20\n    partialRefreshSeconds: 1\n' : ''}  ups: { gauge: ina219, address: 0x42, cells: 2, shuntOhms: 0.01 }
  power: { pollSeconds: ${fast ? 1 : 10}, lowPercent: 20, shutdownPercent: 8, command: [poweroff] }
  drives:
    mountRoot: ${JSON.stringify(join(options.dir, 'media'))}
    settleMs: 200
  tether: { usb: true, graceSeconds: 2 }
  network: { pollSeconds: ${fast ? 1 : 30} }
${
  nas === undefined
    ? ''
    : `sync:
  target: ${JSON.stringify(nas.path)}
  networks: [${JSON.stringify(nas.homeSsid)}]
`
}`;
  }
}
