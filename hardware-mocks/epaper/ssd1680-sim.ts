import type { MonoFrame, SpiDeviceLike, SpiMessage } from '../../src/index.js';
import type { SimulatedGpioBoard } from '../gpio/board.js';

export interface EpaperPins {
  readonly dc: number;
  readonly rst: number;
  readonly busy: number;
}

/** How long the simulated controller keeps BUSY high (a real panel: ~2 s full, ~0.3 s partial). */
export interface EpaperTimings {
  readonly resetMs: number;
  readonly softwareResetMs: number;
  readonly fullMs: number;
  readonly partialMs: number;
}

export const FAST_TIMINGS: EpaperTimings = {
  resetMs: 1,
  softwareResetMs: 2,
  fullMs: 20,
  partialMs: 5,
};
export const REAL_TIMINGS: EpaperTimings = {
  resetMs: 10,
  softwareResetMs: 10,
  fullMs: 2000,
  partialMs: 300,
};

export type RefreshKind = 'full' | 'fast' | 'partial';

export interface DisplayedFrame {
  readonly index: number;
  readonly mode: RefreshKind;
  /** In the reading orientation (landscape 250 × 122), decoded from the controller's RAM. */
  readonly frame: MonoFrame;
}

const ROW_BYTES = 16;
const ROWS = 250;
const RAM_BYTES = ROW_BYTES * ROWS;
const WIDTH = 250;
const HEIGHT = 122;

/** Data bytes each register command takes (RAM writes stream; 0x12 and 0x20 take none). */
const DATA_LENGTH: Readonly<Record<number, number>> = {
  0x01: 3,
  0x10: 1,
  0x11: 1,
  0x18: 1,
  0x1a: 2,
  0x21: 2,
  0x22: 1,
  0x3c: 1,
  0x44: 2,
  0x45: 4,
  0x4e: 1,
  0x4f: 2,
};
const UPDATE_MODES: Readonly<Record<number, RefreshKind>> = {
  0xf7: 'full',
  0xc7: 'fast',
  0xff: 'partial',
  0x0f: 'partial',
};

/**
 * A Waveshare 2.13" e-paper (SSD1680 class) at the SPI and GPIO level: it decodes the command
 * stream the real driver sends (DC low = command, high = data), keeps both RAMs, honours the
 * window, counters and data-entry mode, drives BUSY while it works, sleeps and wakes on RST —
 * and records every protocol mistake: bytes sent while busy or asleep, RAM writes outside the
 * window or of the wrong length, unknown commands, a partial refresh whose "previous" RAM is
 * not what the screen shows. Each refresh yields the displayed image as a frame.
 */
export class SimulatedSsd1680 implements SpiDeviceLike {
  readonly frames: DisplayedFrame[] = [];
  readonly violations: string[] = [];
  readonly counts: Record<RefreshKind, number> = { full: 0, fast: 0, partial: 0 };
  readonly speeds = new Set<number>();
  asleep = true;
  closed = false;
  private readonly bw = Buffer.alloc(RAM_BYTES, 0xff);
  private readonly previous = Buffer.alloc(RAM_BYTES, 0xff);
  private shown = Buffer.alloc(RAM_BYTES, 0xff);
  private busy = false;
  private command: number | undefined;
  private data: number[] = [];
  private ramBytes = 0;
  private regs = this.defaults();
  private readonly listeners = new Set<(frame: DisplayedFrame) => void>();
  private readonly stopWatch: () => void;

  constructor(
    private readonly board: SimulatedGpioBoard,
    private readonly pins: EpaperPins,
    private readonly rotation: 90 | 270 = 90,
    private readonly timings: EpaperTimings = FAST_TIMINGS,
  ) {
    let resetLow = false;
    this.stopWatch = board.onOutput((bcm, level) => {
      if (bcm !== pins.rst) return;
      if (level === 0) resetLow = true;
      else if (resetLow) {
        resetLow = false;
        this.hardwareReset();
      }
    });
  }

  onFrame(listener: (frame: DisplayedFrame) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The image on the panel now, in the reading orientation. */
  displayed(): MonoFrame {
    return this.decode(this.shown);
  }

  transfer(
    messages: SpiMessage[],
    callback: (err: Error | null | undefined, messages: SpiMessage[]) => void,
  ): this {
    setImmediate(() => {
      if (this.closed) {
        callback(new Error('SPI device is closed'), messages);
        return;
      }
      for (const m of messages) {
        if (m.speedHz !== undefined) this.speeds.add(m.speedHz);
        this.receive(m.sendBuffer?.subarray(0, m.byteLength) ?? Buffer.alloc(0));
      }
      callback(null, messages);
    });
    return this;
  }

  close(callback: (err: Error | null | undefined) => void): void {
    this.closed = true;
    this.stopWatch();
    setImmediate(() => callback(null));
  }

  private defaults() {
    return {
      dataEntry: 0x03,
      x: [0, 15] as [number, number],
      y: [0, ROWS - 1] as [number, number],
      xCounter: 0,
      yCounter: 0,
      update: 0,
      windowSet: false,
      gates: 0,
    };
  }

  private receive(bytes: Buffer): void {
    if (bytes.length === 0) return;
    if (this.asleep) {
      this.violations.push(
        `${bytes.length} byte(s) sent while the panel is in deep sleep (wake it with RST first)`,
      );
      return;
    }
    if (this.busy) this.violations.push(`${bytes.length} byte(s) sent while BUSY is high`);
    if (this.board.level(this.pins.dc) === 0) {
      for (const cmd of bytes) this.startCommand(cmd);
      return;
    }
    if (this.command === undefined) {
      this.violations.push('data bytes without a command');
      return;
    }
    for (const b of bytes) this.dataByte(b);
  }

  private startCommand(cmd: number): void {
    this.endCommand();
    this.command = cmd;
    this.data = [];
    this.ramBytes = 0;
    if (cmd === 0x24 || cmd === 0x26) {
      const r = this.regs;
      if (
        !r.windowSet ||
        r.dataEntry !== 0x03 ||
        r.x[0] !== 0 ||
        r.x[1] !== 15 ||
        r.y[0] !== 0 ||
        r.y[1] !== ROWS - 1
      )
        this.violations.push(
          `RAM write 0x${cmd.toString(16)} without the full window and data entry mode 3 set since reset`,
        );
    } else if (cmd === 0x12) {
      this.regs = this.defaults();
      this.busyFor(this.timings.softwareResetMs);
      this.command = undefined;
    } else if (cmd === 0x20) {
      this.activate();
      this.command = undefined;
    } else if (DATA_LENGTH[cmd] === undefined) {
      this.violations.push(`unknown command 0x${cmd.toString(16)}`);
    }
  }

  private dataByte(b: number): void {
    const cmd = this.command as number;
    if (cmd === 0x24 || cmd === 0x26) {
      const ram = cmd === 0x24 ? this.bw : this.previous;
      const r = this.regs;
      const at = r.yCounter * ROW_BYTES + r.xCounter;
      if (at < RAM_BYTES) ram[at] = b;
      this.ramBytes++;
      r.xCounter++;
      if (r.xCounter > r.x[1]) {
        r.xCounter = r.x[0];
        r.yCounter++;
      }
      return;
    }
    this.data.push(b);
    if (this.data.length === DATA_LENGTH[cmd]) this.apply(cmd, this.data);
  }

  /** A RAM write ends with the next command: it must have filled the frame exactly. */
  private endCommand(): void {
    const cmd = this.command;
    if ((cmd === 0x24 || cmd === 0x26) && this.ramBytes !== RAM_BYTES)
      this.violations.push(
        `RAM write 0x${cmd.toString(16)} of ${this.ramBytes} bytes (a frame is ${RAM_BYTES})`,
      );
    if (
      cmd !== undefined &&
      DATA_LENGTH[cmd] !== undefined &&
      this.data.length !== DATA_LENGTH[cmd]
    )
      this.violations.push(
        `command 0x${cmd.toString(16)} got ${this.data.length} data bytes, not ${DATA_LENGTH[cmd]}`,
      );
    this.command = undefined;
  }

  private apply(cmd: number, d: readonly number[]): void {
    const r = this.regs;
    const word = (lo: number, hi: number): number => (d[lo] ?? 0) | ((d[hi] ?? 0) << 8);
    switch (cmd) {
      case 0x01:
        r.gates = word(0, 1) + 1;
        if (r.gates !== ROWS)
          this.violations.push(
            `driver output control: ${r.gates} gate lines, the panel has ${ROWS}`,
          );
        return;
      case 0x10:
        if (d[0] !== 0) this.asleep = true;
        return;
      case 0x11:
        r.dataEntry = d[0] ?? 0;
        return;
      case 0x22:
        r.update = d[0] ?? 0;
        return;
      case 0x44:
        r.x = [d[0] ?? 0, d[1] ?? 0];
        return;
      case 0x45:
        r.y = [word(0, 1), word(2, 3)];
        r.windowSet = true;
        return;
      case 0x4e:
        r.xCounter = d[0] ?? 0;
        return;
      case 0x4f:
        r.yCounter = word(0, 1);
        return;
      default:
        return;
    }
  }

  private activate(): void {
    const mode = UPDATE_MODES[this.regs.update];
    if (mode === undefined) {
      this.violations.push(
        `activation with display update 0x${this.regs.update.toString(16)} (set 0x22 first)`,
      );
      return;
    }
    if (this.regs.gates !== ROWS)
      this.violations.push('activation without driver output control (0x01) since reset');
    if (mode === 'partial' && !this.previous.equals(this.shown))
      this.violations.push(
        'partial refresh whose previous-image RAM (0x26) is not what the screen shows: it would leave ghosts',
      );
    this.shown = Buffer.from(this.bw);
    this.counts[mode]++;
    const shown: DisplayedFrame = {
      index: this.frames.length + 1,
      mode,
      frame: this.decode(this.shown),
    };
    this.busyFor(mode === 'partial' ? this.timings.partialMs : this.timings.fullMs, () => {
      this.frames.push(shown);
      for (const l of this.listeners) l(shown);
    });
  }

  private hardwareReset(): void {
    this.asleep = false;
    this.regs = this.defaults();
    this.command = undefined;
    this.busyFor(this.timings.resetMs);
  }

  private busyFor(ms: number, then?: () => void): void {
    this.busy = true;
    this.board.drive(this.pins.busy, 1);
    setTimeout(() => {
      this.busy = false;
      this.board.drive(this.pins.busy, 0);
      then?.();
    }, ms);
  }

  private decode(ram: Buffer): MonoFrame {
    const black = new Uint8Array(WIDTH * HEIGHT);
    for (let y = 0; y < HEIGHT; y++) {
      for (let x = 0; x < WIDTH; x++) {
        const nx = this.rotation === 90 ? y : HEIGHT - 1 - y;
        const ny = this.rotation === 90 ? WIDTH - 1 - x : x;
        const bit = (ram[ny * ROW_BYTES + (nx >> 3)] ?? 0xff) & (0x80 >> (nx & 7));
        black[y * WIDTH + x] = bit === 0 ? 1 : 0;
      }
    }
    return { width: WIDTH, height: HEIGHT, black };
  }
}
