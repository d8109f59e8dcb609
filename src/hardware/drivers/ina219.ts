import type { BatteryGauge, BatteryReading } from '../ports/index.js';
import { cellPercent, RegisterIo, type I2cBusLike } from './i2c.js';

const REG = { config: 0x00, shunt: 0x01, bus: 0x02, current: 0x04, calibration: 0x05 } as const;

export interface Ina219Options {
  readonly address: number;
  /** Lithium cells in series (Waveshare UPS HAT: 2; UPS HAT (C) / Pico: 1). */
  readonly cells: number;
  /** The shunt resistor: 0.01 Ω on Waveshare's UPS HATs, 0.1 Ω on the UPS Power Module. */
  readonly shuntOhms: number;
  /** The largest current to measure: sets the amplifier range and the current step. */
  readonly maxAmps: number;
  /** Which sign of the current register means charging (depends on how the board is wired). */
  readonly chargingCurrent: 'positive' | 'negative';
  /** Above this many amperes into the battery, the box is on mains. */
  readonly mainsThresholdAmps?: number;
}

/** PGA gains and the full-scale shunt voltage each allows (datasheet table 4). */
const PGA_RANGES_V = [0.04, 0.08, 0.16, 0.32] as const;
const ADC_12BIT_32X = 0xd;
const MODE_SHUNT_AND_BUS_CONTINUOUS = 7;

/**
 * The INA219 current/voltage monitor (Waveshare UPS HATs): bus voltage per cell gives the
 * charge, the shunt current its direction. Calibration follows the datasheet: current step =
 * max current / 32768, Cal = 0.04096 / (step × R shunt); it is written again before each
 * reading because the chip forgets it on a brown-out.
 */
export class Ina219Gauge implements BatteryGauge {
  readonly description: string;
  private readonly io: RegisterIo;
  private readonly currentLsb: number;
  private readonly calibration: number;
  private readonly config: number;

  constructor(
    private readonly bus: I2cBusLike,
    busNumber: number,
    private readonly options: Ina219Options,
  ) {
    this.io = new RegisterIo(bus, options.address, 'INA219');
    this.description = `INA219 at 0x${options.address.toString(16)} on i2c-${busNumber}`;
    this.currentLsb = options.maxAmps / 32768;
    this.calibration =
      Math.min(0xfffe, Math.trunc(0.04096 / (this.currentLsb * options.shuntOhms))) & 0xfffe;
    const shuntFullScale = options.maxAmps * options.shuntOhms;
    const pga = PGA_RANGES_V.findIndex((v) => v >= shuntFullScale);
    const busRange32V = options.cells * 4.2 > 16 ? 1 : 0;
    this.config =
      (busRange32V << 13) |
      ((pga < 0 ? 3 : pga) << 11) |
      (ADC_12BIT_32X << 7) |
      (ADC_12BIT_32X << 3) |
      MODE_SHUNT_AND_BUS_CONTINUOUS;
  }

  /** Configures the chip; call once before reading. */
  async init(): Promise<void> {
    await this.io.write16(REG.config, this.config);
    await this.io.write16(REG.calibration, this.calibration);
  }

  async read(): Promise<BatteryReading> {
    await this.io.write16(REG.calibration, this.calibration);
    const busRaw = await this.io.read16(REG.bus);
    const volts = (busRaw >> 3) * 0.004;
    const raw = await this.io.readSigned16(REG.current);
    const amps = raw * this.currentLsb * (this.options.chargingCurrent === 'positive' ? 1 : -1);
    const threshold = this.options.mainsThresholdAmps ?? 0.02;
    return {
      percent: Math.round(cellPercent(volts / this.options.cells) * 10) / 10,
      volts: Math.round(volts * 1000) / 1000,
      amps: Math.round(amps * 1000) / 1000,
      onMains: amps > threshold,
    };
  }

  close(): Promise<void> {
    return this.bus.close();
  }
}
