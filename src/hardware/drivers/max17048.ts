import { FieldBackupError } from '../../core/index.js';
import type { BatteryGauge, BatteryReading } from '../ports/index.js';
import { RegisterIo, type I2cBusLike } from './i2c.js';

const REG = { vcell: 0x02, soc: 0x04, version: 0x08, crate: 0x16 } as const;

export interface Max17048Options {
  readonly address: number;
  /**
   * max17048/49: 78.125 µV per VCELL step and a charge-rate register; max17040/41 (UPS-Lite
   * v1.2): 12-bit VCELL in 1.25 mV steps and no charge rate (use a mains pin to tell).
   */
  readonly chip: 'max17048' | 'max17040';
  /** Above this many %/hour the battery is charging, so the box is on mains. */
  readonly chargingRate?: number;
}

/** CRATE step of the MAX17048, % per hour. */
const CRATE_PERCENT_PER_HOUR = 0.208;

/**
 * The MAX17048/MAX17040 fuel gauges (PiSugar, UPS-Lite, Geekworm X120x): the chip computes
 * the state of charge itself (ModelGauge), so it is read, not estimated. Never sends
 * Quick-Start or a reset: both throw away the chip's learned estimate.
 */
export class Max17048Gauge implements BatteryGauge {
  readonly description: string;
  private readonly io: RegisterIo;

  constructor(
    private readonly bus: I2cBusLike,
    busNumber: number,
    private readonly options: Max17048Options,
  ) {
    this.io = new RegisterIo(bus, options.address, options.chip.toUpperCase());
    this.description = `${options.chip.toUpperCase()} at 0x${options.address.toString(16)} on i2c-${busNumber}`;
  }

  /** Checks that the chip answers with a plausible version. */
  async init(): Promise<void> {
    const version = await this.io.read16(REG.version);
    if (version === 0 || version === 0xffff) {
      throw new FieldBackupError(
        'E_HARDWARE',
        `${this.description}: version register reads 0x${version.toString(16)}; is a gauge fitted?`,
        { subject: { device: this.description } },
      );
    }
  }

  async read(): Promise<BatteryReading> {
    const vcellRaw = await this.io.read16(REG.vcell);
    const volts =
      this.options.chip === 'max17048' ? vcellRaw * 78.125e-6 : (vcellRaw >> 4) * 1.25e-3;
    const socRaw = await this.io.read16(REG.soc);
    const percent = Math.min(100, socRaw / 256);
    let onMains: boolean | undefined;
    if (this.options.chip === 'max17048') {
      const rate = (await this.io.readSigned16(REG.crate)) * CRATE_PERCENT_PER_HOUR;
      const threshold = this.options.chargingRate ?? 0.5;
      // A full battery on mains is neither charging nor discharging.
      onMains = rate > threshold || (percent >= 99 && rate > -threshold);
    }
    return {
      percent: Math.round(percent * 10) / 10,
      volts: Math.round(volts * 1000) / 1000,
      ...(onMains === undefined ? {} : { onMains }),
    };
  }

  close(): Promise<void> {
    return this.bus.close();
  }
}
