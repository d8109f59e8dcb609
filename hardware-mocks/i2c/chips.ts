import type { SimulatedBattery } from './battery.js';

/** A chip on the simulated bus: 16-bit registers as the chip holds them. */
export interface I2cChip {
  read(register: number): number;
  write(register: number, value: number): void;
}

const s16 = (v: number): number =>
  (Math.max(-32768, Math.min(32767, Math.round(v))) + 0x10000) & 0xffff;

/**
 * The INA219 as a UPS HAT wires it: the battery current through the shunt, the pack voltage
 * on the bus input. Current and power come from the calibration the driver wrote (datasheet
 * equations 4 and 5), so a driver that computes it wrong reads wrong currents.
 */
export class Ina219Chip implements I2cChip {
  private config = 0x399f;
  private calibration = 0;
  readonly writes: { register: number; value: number }[] = [];

  constructor(
    private readonly battery: SimulatedBattery,
    private readonly shuntOhms: number,
    /** How the board is wired: which sign the charging current reads with. */
    private readonly chargingSign: 1 | -1 = 1,
  ) {}

  private shuntRaw(): number {
    return (this.battery.amps * this.chargingSign * this.shuntOhms) / 10e-6;
  }

  read(register: number): number {
    switch (register) {
      case 0x00:
        return this.config;
      case 0x01:
        return s16(this.shuntRaw());
      case 0x02:
        return ((Math.round(this.battery.volts / 0.004) << 3) | 0x2) & 0xffff;
      case 0x03: {
        const current = Math.trunc((this.shuntRaw() * this.calibration) / 4096);
        const bus = Math.round(this.battery.volts / 0.004);
        return Math.abs(Math.trunc((current * bus) / 5000)) & 0xffff;
      }
      case 0x04:
        return s16(Math.trunc((this.shuntRaw() * this.calibration) / 4096));
      case 0x05:
        return this.calibration;
      default:
        throw new Error(`INA219 has no register 0x${register.toString(16)}`);
    }
  }

  write(register: number, value: number): void {
    this.writes.push({ register, value });
    if (register === 0x00) {
      if ((value & 0x8000) !== 0) {
        this.config = 0x399f;
        this.calibration = 0;
      } else {
        this.config = value;
      }
    } else if (register === 0x05) {
      this.calibration = value & 0xfffe;
    } else {
      throw new Error(`INA219 register 0x${register.toString(16)} is read-only`);
    }
  }
}

/**
 * The MAX17048 (or the older MAX17040 of the UPS-Lite v1.2): the chip's own state of charge,
 * the cell voltage, and (17048) the charge rate. Writes that throw away the chip's learned
 * estimate (Quick-Start, power-on reset) are recorded so tests can check none is sent.
 */
export class Max17048Chip implements I2cChip {
  readonly estimateResets: string[] = [];

  constructor(
    private readonly battery: SimulatedBattery,
    readonly variant: 'max17048' | 'max17040' = 'max17048',
  ) {}

  read(register: number): number {
    const cellVolts = this.battery.volts / this.battery.cells;
    switch (register) {
      case 0x02:
        return this.variant === 'max17048'
          ? Math.round(cellVolts / 78.125e-6) & 0xffff
          : (Math.round(cellVolts / 1.25e-3) << 4) & 0xffff;
      case 0x04:
        return Math.round(this.battery.percent * 256) & 0xffff;
      case 0x08:
        return this.variant === 'max17048' ? 0x0012 : 0x0002;
      case 0x0c:
        return 0x971c;
      case 0x16:
        return this.variant === 'max17048' ? s16(this.battery.ratePercentPerHour / 0.208) : 0x0000;
      default:
        return 0x0000;
    }
  }

  write(register: number, value: number): void {
    if (register === 0x06 && value === 0x4000) this.estimateResets.push('quick-start');
    if (register === 0xfe && value === 0x5400) this.estimateResets.push('power-on reset');
  }
}
