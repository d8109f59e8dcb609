import { FieldBackupError, type Clock } from '../../core/index.js';
import type { EinkPanel, MonoFrame, RefreshMode } from '../ports/index.js';
import type { GpioLine } from './gpio.js';
import { spiTransfer, type SpiDeviceLike } from './spi.js';
import {
  FRAME_BYTES,
  NATIVE_HEIGHT,
  NATIVE_WIDTH,
  ROW_BYTES,
  packFrame,
  type PanelRotation,
} from './ssd1680-frame.js';

/** SSD1680 commands used here (Waveshare 2.13" V4 sequences; see research/hardware.md §2.3). */
const CMD = {
  driverOutput: 0x01,
  deepSleep: 0x10,
  dataEntryMode: 0x11,
  softwareReset: 0x12,
  temperatureSensor: 0x18,
  activate: 0x20,
  displayUpdate1: 0x21,
  displayUpdate2: 0x22,
  writeRamBw: 0x24,
  writeRamPrevious: 0x26,
  borderWaveform: 0x3c,
  ramXWindow: 0x44,
  ramYWindow: 0x45,
  ramXCounter: 0x4e,
  ramYCounter: 0x4f,
} as const;

/** 0x22 values: full refresh with the built-in waveform, and partial (only changed pixels). */
const UPDATE_FULL = 0xf7;
const UPDATE_PARTIAL = 0xff;

export interface Ssd1680Lines {
  readonly dc: GpioLine;
  readonly rst: GpioLine;
  readonly busy: GpioLine;
  /** Newer HAT revisions switch the panel's supply through a GPIO. */
  readonly power?: GpioLine;
}

export interface Ssd1680Options {
  readonly rotation: PanelRotation;
  /** A refresh that keeps BUSY high longer than this is an error (a full refresh takes ~2 s). */
  readonly busyTimeoutMs: number;
  readonly speedHz: number;
  readonly clock: Clock;
  /** Waits (injectable so simulations can run faster than a real panel). */
  readonly delay: (ms: number) => Promise<void>;
}

const BUSY_POLL_MS = 10;
/** The stock spidev driver takes at most 4096 bytes per transfer. */
const SPI_CHUNK = 4096;

/**
 * The Waveshare 2.13" e-paper (SSD1680 class, 250 × 122) on SPI with DC/RST/BUSY lines. Each
 * `show` wakes the panel with a hardware reset, draws, and leaves it ready for `sleep`.
 * A partial refresh writes the frame on screen to the "previous" RAM and the new one to the
 * black/white RAM, so the controller drives exactly the pixels that differ, whatever the RAM
 * held after a deep sleep.
 */
export class Ssd1680Panel implements EinkPanel {
  readonly width = NATIVE_HEIGHT;
  readonly height = NATIVE_WIDTH;
  private onScreen: Buffer | undefined;
  private asleep = true;

  constructor(
    private readonly spi: SpiDeviceLike,
    private readonly lines: Ssd1680Lines,
    private readonly options: Ssd1680Options,
  ) {
    lines.power?.writeSync(1);
    lines.rst.writeSync(1);
  }

  async show(frame: MonoFrame, mode: RefreshMode): Promise<void> {
    const data = packFrame(frame, this.options.rotation);
    // Nothing on screen that we know of (first frame, after close): a partial would ghost.
    const partial = mode === 'partial' && this.onScreen !== undefined;
    if (partial) await this.partialRefresh(data, this.onScreen ?? data);
    else await this.fullRefresh(data);
    this.onScreen = data;
  }

  async sleep(): Promise<void> {
    if (this.asleep) return;
    await this.command(CMD.deepSleep, [0x01]);
    this.asleep = true;
  }

  async close(): Promise<void> {
    await this.sleep().catch(() => undefined);
    this.lines.power?.writeSync(0);
    for (const line of [this.lines.dc, this.lines.rst, this.lines.busy, this.lines.power])
      line?.unexport();
    await new Promise<void>((resolve) => this.spi.close(() => resolve()));
  }

  private async fullRefresh(data: Buffer): Promise<void> {
    await this.reset(20, 2);
    await this.command(CMD.softwareReset);
    await this.waitIdle('software reset');
    await this.command(CMD.driverOutput, [
      (NATIVE_HEIGHT - 1) & 0xff,
      (NATIVE_HEIGHT - 1) >> 8,
      0x00,
    ]);
    await this.window();
    await this.command(CMD.borderWaveform, [0x05]);
    await this.command(CMD.displayUpdate1, [0x00, 0x80]);
    await this.command(CMD.temperatureSensor, [0x80]);
    await this.waitIdle('init');
    await this.writeRam(CMD.writeRamBw, data);
    // The same image as "previous": the base the next partial refresh compares against.
    await this.writeRam(CMD.writeRamPrevious, data);
    await this.update(UPDATE_FULL, 'full refresh');
  }

  private async partialRefresh(data: Buffer, previous: Buffer): Promise<void> {
    await this.reset(1, 1);
    await this.command(CMD.borderWaveform, [0x80]);
    await this.command(CMD.driverOutput, [
      (NATIVE_HEIGHT - 1) & 0xff,
      (NATIVE_HEIGHT - 1) >> 8,
      0x00,
    ]);
    await this.window();
    await this.writeRam(CMD.writeRamPrevious, previous);
    await this.writeRam(CMD.writeRamBw, data);
    await this.update(UPDATE_PARTIAL, 'partial refresh');
  }

  /** Data entry X+ Y+, the whole RAM as the window. */
  private async window(): Promise<void> {
    await this.command(CMD.dataEntryMode, [0x03]);
    await this.command(CMD.ramXWindow, [0x00, ROW_BYTES - 1]);
    await this.command(CMD.ramYWindow, [
      0x00,
      0x00,
      (NATIVE_HEIGHT - 1) & 0xff,
      (NATIVE_HEIGHT - 1) >> 8,
    ]);
  }

  private async writeRam(cmd: number, data: Buffer): Promise<void> {
    if (data.length !== FRAME_BYTES) throw new RangeError(`frame must be ${FRAME_BYTES} bytes`);
    await this.command(CMD.ramXCounter, [0x00]);
    await this.command(CMD.ramYCounter, [0x00, 0x00]);
    await this.command(cmd, data);
  }

  private async update(value: number, what: string): Promise<void> {
    await this.command(CMD.displayUpdate2, [value]);
    await this.command(CMD.activate);
    await this.waitIdle(what);
  }

  /** Hardware reset: RST high, low for `lowMs`, high again; wakes the panel from deep sleep. */
  private async reset(highMs: number, lowMs: number): Promise<void> {
    const { rst } = this.lines;
    rst.writeSync(1);
    await this.options.delay(highMs);
    rst.writeSync(0);
    await this.options.delay(lowMs);
    rst.writeSync(1);
    await this.options.delay(highMs);
    this.asleep = false;
    await this.waitIdle('reset');
  }

  private async command(cmd: number, data?: ArrayLike<number>): Promise<void> {
    this.lines.dc.writeSync(0);
    await spiTransfer(this.spi, Buffer.from([cmd]), this.options.speedHz);
    if (data === undefined || data.length === 0) return;
    this.lines.dc.writeSync(1);
    const bytes = Buffer.isBuffer(data) ? data : Buffer.from(Array.from(data));
    for (let at = 0; at < bytes.length; at += SPI_CHUNK)
      await spiTransfer(this.spi, bytes.subarray(at, at + SPI_CHUNK), this.options.speedHz);
  }

  /** BUSY is 1 while the controller works; polled every 10 ms (only during a refresh). */
  private async waitIdle(what: string): Promise<void> {
    const { clock, busyTimeoutMs, delay } = this.options;
    const deadline = clock.monotonicMs() + busyTimeoutMs;
    while (this.lines.busy.readSync() === 1) {
      if (clock.monotonicMs() > deadline) {
        throw new FieldBackupError(
          'E_HARDWARE',
          `e-ink panel stayed busy for more than ${busyTimeoutMs} ms during ${what}`,
          { subject: { device: 'e-ink' }, retryable: true },
        );
      }
      await delay(BUSY_POLL_MS);
    }
  }
}
