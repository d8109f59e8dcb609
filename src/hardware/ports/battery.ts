/** One reading of the UPS fuel gauge. */
export interface BatteryReading {
  /** State of charge, 0–100. */
  readonly percent: number;
  readonly volts: number;
  /** Battery current in amperes when the gauge measures it: positive while charging. */
  readonly amps?: number;
  /** True on mains (charging or full), false on battery; undefined when the gauge cannot tell. */
  readonly onMains?: boolean;
}

export interface BatteryGauge {
  /** Which chip, for messages ("INA219 at 0x42 on i2c-1"). */
  readonly description: string;
  read(): Promise<BatteryReading>;
  close(): Promise<void>;
}
