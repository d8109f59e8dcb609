/**
 * A lithium pack for the simulated fuel gauges: state of charge that drains under the box's
 * load and fills on mains, a resting-voltage curve per cell, and sag (or rise) through the
 * internal resistance with the current. `timeScale` lets a scenario drain an hour in seconds.
 */
export interface BatteryOptions {
  readonly cells?: number;
  readonly capacityMah?: number;
  readonly percent?: number;
  readonly onMains?: boolean;
  /** What the box draws (Pi, reader, two SSDs): ~1.5 A at the pack. */
  readonly loadAmps?: number;
  readonly chargeAmps?: number;
  readonly internalOhms?: number;
  /** Simulated seconds per real second. */
  readonly timeScale?: number;
  readonly now?: () => number;
}

/** Resting voltage of one cell by charge (a typical 18650 curve; not the driver's table). */
const OCV: readonly (readonly [number, number])[] = [
  [0, 3.0],
  [3, 3.35],
  [8, 3.5],
  [15, 3.6],
  [30, 3.68],
  [50, 3.77],
  [70, 3.9],
  [85, 4.02],
  [100, 4.2],
];

export class SimulatedBattery {
  readonly cells: number;
  percent: number;
  onMains: boolean;
  loadAmps: number;
  timeScale: number;
  private readonly capacityMah: number;
  private readonly chargeAmps: number;
  private readonly internalOhms: number;
  private readonly now: () => number;
  private last: number;

  constructor(options: BatteryOptions = {}) {
    this.cells = options.cells ?? 2;
    this.capacityMah = options.capacityMah ?? 3000;
    this.percent = options.percent ?? 80;
    this.onMains = options.onMains ?? false;
    this.loadAmps = options.loadAmps ?? 1.5;
    this.chargeAmps = options.chargeAmps ?? 1.0;
    this.internalOhms = options.internalOhms ?? 0.05;
    this.timeScale = options.timeScale ?? 1;
    this.now = options.now ?? (() => performance.now());
    this.last = this.now();
  }

  /** Battery current now: positive while charging, negative while the box runs on it. */
  get amps(): number {
    if (!this.onMains) return -this.loadAmps;
    return this.percent >= 100 ? 0 : this.chargeAmps;
  }

  /** Terminal voltage of the pack: resting voltage, plus or minus the drop over the cells. */
  get volts(): number {
    this.step();
    return this.cells * (cellOcv(this.percent) + this.amps * this.internalOhms);
  }

  /** Charge rate in % per hour. */
  get ratePercentPerHour(): number {
    return ((this.amps * 1000) / this.capacityMah) * 100;
  }

  /** Brings the charge up to now. */
  step(): void {
    const now = this.now();
    const hours = ((now - this.last) / 3_600_000) * this.timeScale;
    this.last = now;
    this.percent = Math.max(0, Math.min(100, this.percent + this.ratePercentPerHour * hours));
  }

  set(percent: number): void {
    this.step();
    this.percent = percent;
  }

  plug(onMains: boolean): void {
    this.step();
    this.onMains = onMains;
  }
}

export function cellOcv(percent: number): number {
  for (let i = 1; i < OCV.length; i++) {
    const [p1, v1] = OCV[i] as readonly [number, number];
    const [p0, v0] = OCV[i - 1] as readonly [number, number];
    if (percent <= p1) return v0 + ((percent - p0) / (p1 - p0)) * (v1 - v0);
  }
  return 4.2;
}
