import { errorMessage, type Logger } from '../core/index.js';
import type { BatteryGauge, BatteryReading } from '../hardware/ports/index.js';

const SMOOTHING = 3;

/**
 * Reads the fuel gauge every `pollMs` and passes on a smoothed reading: the mean charge of the
 * last three readings (a copy burst makes the voltage sag; one low reading must not shut the
 * box down), the latest mains state. A gauge that stops answering is reported once.
 */
export class PowerMonitor {
  private readonly recent: number[] = [];
  private timer: NodeJS.Timeout | undefined;
  private failing = false;

  constructor(
    private readonly gauge: BatteryGauge,
    private readonly pollMs: number,
    private readonly onReading: (reading: BatteryReading) => void,
    private readonly onFailure: (message: string | undefined) => void,
    private readonly logger: Logger,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.read(), this.pollMs);
    void this.read();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** One reading now (also used right before deciding to shut down). */
  async read(): Promise<void> {
    let reading: BatteryReading;
    try {
      reading = await this.gauge.read();
    } catch (err) {
      if (!this.failing) {
        this.failing = true;
        this.logger.log('warn', `battery gauge: ${errorMessage(err)}`);
        this.onFailure(`battery gauge not answering: ${errorMessage(err)}`);
      }
      return;
    }
    if (this.failing) this.onFailure(undefined);
    this.failing = false;
    // On mains a fresh start: charging lifts the reading quickly.
    if (reading.onMains === true) this.recent.length = 0;
    this.recent.push(reading.percent);
    if (this.recent.length > SMOOTHING) this.recent.shift();
    const percent = this.recent.reduce((a, b) => a + b, 0) / this.recent.length;
    this.onReading({ ...reading, percent: Math.round(percent * 10) / 10 });
  }
}
