import {
  errorMessage,
  isFieldBackupError,
  systemClock,
  type Clock,
  type Logger,
  silentLogger,
} from '../core/index.js';
import type { HardwareConfig, PanelConfig, UpsConfig } from '../hardware/config.js';
import {
  DrivelistLister,
  GpioButton,
  GpioLed,
  GpioNumbering,
  GpioPins,
  Ina219Gauge,
  loadOnoff,
  LsblkLister,
  Max17048Gauge,
  openI2cBus,
  openLibusbBus,
  openSpiDevice,
  PollingDriveWatcher,
  ProcPartitionsProbe,
  runCommand,
  Ssd1680Panel,
  SystemMounter,
  SystemNetworkState,
  SystemPowerControl,
  type CommandRunner,
  type GpioConstructor,
  type GpioLine,
  type I2cOpener,
  type SpiOpener,
} from '../hardware/drivers/index.js';
import type {
  BatteryGauge,
  BatteryReading,
  Button,
  DriveChangeProbe,
  DriveLister,
  EinkPanel,
  Led,
  LedColor,
  Mounter,
  NetworkState,
  PowerControl,
  UsbPtpBus,
} from '../hardware/ports/index.js';
import type { BoxParts } from './box-parts.js';

/**
 * Where the drivers get their buses and tools. The defaults are the real ones (onoff, spi-device,
 * i2c-bus, lsblk/drivelist, mount, systemctl, libusb); the simulator passes hardware-mocks'
 * simulated chips, so the same drivers run against them.
 */
export interface HardwareEnv {
  readonly loadGpio?: () => Promise<GpioConstructor>;
  readonly openSpi?: SpiOpener;
  readonly openI2c?: I2cOpener;
  readonly run?: CommandRunner;
  readonly lister?: DriveLister;
  readonly probe?: DriveChangeProbe;
  readonly mounter?: Mounter;
  readonly power?: PowerControl;
  /** The USB bus for tethered cameras; default libusb. */
  readonly openUsb?: () => Promise<UsbPtpBus>;
  /** The Wi-Fi the box is on; default NetworkManager / wpa_supplicant through `run`. */
  readonly network?: NetworkState;
  /** wpa_supplicant's interface (the config's sync.wifiInterface). */
  readonly wifiInterface?: string;
  readonly clock?: Clock;
  readonly delay?: (ms: number) => Promise<void>;
  readonly logger?: Logger;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Opens the box's hardware as the config describes it. A part that is configured but does not
 * answer (no screen on the SPI bus, no gauge at the address) is left out and named in
 * `problems`: the box still backs up cards. A config that cannot be right (a pin the chip does
 * not have) is an error.
 */
export async function openBoxHardware(
  hw: HardwareConfig,
  env: HardwareEnv = {},
): Promise<BoxParts> {
  const logger = env.logger ?? silentLogger;
  const run = env.run ?? runCommand;
  const problems: string[] = [];
  const closers: (() => Promise<void> | void)[] = [];
  const attempt = async <T>(what: string, open: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await open();
    } catch (err) {
      if (isFieldBackupError(err, 'E_CONFIG')) throw err;
      problems.push(`${what}: ${errorMessage(err)}`);
      logger.log('warn', `${what} not available: ${errorMessage(err)}`);
      return undefined;
    }
  };

  const needsGpio =
    hw.leds !== 'none' ||
    hw.button !== 'none' ||
    hw.panel !== 'none' ||
    (hw.ups !== 'none' && hw.ups.mainsPin !== undefined);
  const pins = needsGpio
    ? await attempt('GPIO', async () => {
        const Gpio = await (env.loadGpio ?? loadOnoff)();
        return new GpioPins(await GpioNumbering.detect(hw.gpio.sysfs, hw.gpio.chipLabel), Gpio);
      })
    : undefined;

  let leds: Partial<Record<LedColor, Led>> | undefined;
  const ledConfig = hw.leds;
  if (pins !== undefined && ledConfig !== 'none') {
    leds = await attempt('LEDs', () =>
      Promise.resolve({
        green: new GpioLed(pins, ledConfig.green, ledConfig.activeLow),
        amber: new GpioLed(pins, ledConfig.amber, ledConfig.activeLow),
        red: new GpioLed(pins, ledConfig.red, ledConfig.activeLow),
      }),
    );
    if (leds !== undefined) closers.push(() => Object.values(leds ?? {}).forEach((l) => l.close()));
  }

  let button: Button | undefined;
  const buttonConfig = hw.button;
  if (pins !== undefined && buttonConfig !== 'none') {
    button = await attempt('button', () =>
      Promise.resolve(new GpioButton(pins, buttonConfig.pin, buttonConfig)),
    );
    if (button !== undefined) closers.push(() => button?.close());
  }

  const panelConfig = hw.panel;
  const panel =
    pins !== undefined && panelConfig !== 'none'
      ? await attempt('e-ink screen', () => openPanel(panelConfig, pins, env))
      : undefined;

  const upsConfig = hw.ups;
  const gauge =
    upsConfig !== 'none'
      ? await attempt('battery gauge', () => openGauge(upsConfig, pins, env))
      : undefined;
  if (gauge !== undefined) closers.push(() => gauge.close());

  const lister =
    env.lister ??
    (hw.drives.lister === 'lsblk' ? new LsblkLister(() => true, run) : new DrivelistLister(run));
  const drives = new PollingDriveWatcher(lister, env.probe ?? new ProcPartitionsProbe(), {
    pollMs: hw.drives.pollMs,
    logger,
  });
  const usb = hw.tether.usb ? await attempt('USB', env.openUsb ?? openLibusbBus) : undefined;

  return {
    drives,
    mounter: env.mounter ?? new SystemMounter(run, logger),
    power: env.power ?? new SystemPowerControl(hw.power.command, run),
    network:
      env.network ??
      new SystemNetworkState({
        run,
        ...(env.wifiInterface === undefined ? {} : { wifiInterface: env.wifiInterface }),
      }),
    problems,
    ...(leds === undefined ? {} : { leds }),
    ...(button === undefined ? {} : { button }),
    ...(panel === undefined ? {} : { panel }),
    ...(gauge === undefined ? {} : { gauge }),
    ...(usb === undefined ? {} : { usb }),
    close: async () => {
      for (const close of closers.reverse()) {
        try {
          await close();
        } catch (err) {
          logger.log('warn', `closing hardware: ${errorMessage(err)}`);
        }
      }
    },
  };
}

async function openPanel(
  config: PanelConfig,
  pins: GpioPins,
  env: HardwareEnv,
): Promise<EinkPanel> {
  const spi = await (env.openSpi ?? openSpiDevice)(config.spi.bus, config.spi.device, {
    mode: 0,
    maxSpeedHz: config.spi.speedHz,
  });
  const panel = new Ssd1680Panel(
    spi,
    {
      dc: pins.output(config.pins.dc),
      rst: pins.output(config.pins.rst),
      busy: pins.input(config.pins.busy),
      ...(config.pins.power === undefined ? {} : { power: pins.output(config.pins.power) }),
    },
    {
      rotation: config.rotation,
      busyTimeoutMs: config.busyTimeoutMs,
      speedHz: config.spi.speedHz,
      clock: env.clock ?? systemClock,
      delay: env.delay ?? sleep,
    },
  );
  return panel;
}

async function openGauge(
  config: UpsConfig,
  pins: GpioPins | undefined,
  env: HardwareEnv,
): Promise<BatteryGauge> {
  const bus = await (env.openI2c ?? openI2cBus)(config.bus);
  let gauge: Ina219Gauge | Max17048Gauge;
  if (config.gauge === 'ina219') {
    gauge = new Ina219Gauge(bus, config.bus, config);
  } else {
    gauge = new Max17048Gauge(bus, config.bus, { address: config.address, chip: config.gauge });
  }
  try {
    await gauge.init();
  } catch (err) {
    await bus.close().catch(() => undefined);
    throw err;
  }
  const mainsLine = config.mainsPin === undefined ? undefined : pins?.input(config.mainsPin);
  return mainsLine === undefined ? gauge : withMainsPin(gauge, mainsLine);
}

/** A gauge whose mains reading comes from a GPIO (UPS-Lite's, X120x's power-good line). */
function withMainsPin(gauge: BatteryGauge, line: GpioLine): BatteryGauge {
  return {
    description: `${gauge.description}, mains sensed on GPIO`,
    read: async (): Promise<BatteryReading> => ({
      ...(await gauge.read()),
      onMains: line.readSync() === 1,
    }),
    close: async () => {
      line.unexport();
      await gauge.close();
    },
  };
}
