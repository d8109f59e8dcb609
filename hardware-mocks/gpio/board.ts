import * as fs from 'node:fs/promises';
import { join } from 'node:path';
import type {
  GpioConstructor,
  GpioDirection,
  GpioEdge,
  GpioLine,
  GpioLineOptions,
} from '../../src/index.js';

type Level = 0 | 1;
type WatchCallback = (err: Error | null | undefined, value: Level) => void;

interface LineState {
  direction: 'in' | 'out';
  edge: GpioEdge;
  activeLow: boolean;
  debounceMs: number;
  /** The electrical level on the pin. */
  level: Level;
  watchers: Set<WatchCallback>;
  debounce?: NodeJS.Timeout;
}

export interface BoardChip {
  readonly label: string;
  readonly base: number;
  readonly ngpio: number;
}

/** The chips of a Raspberry Pi 4 on a 6.6 kernel (research/hardware.md §1.1). */
export const PI4_KERNEL_66: readonly BoardChip[] = [
  { label: 'pinctrl-bcm2711', base: 512, ngpio: 58 },
  { label: 'raspberrypi-exp-gpio', base: 570, ngpio: 8 },
];

/** A Raspberry Pi 5 on 6.6: the four brcmstb chips first, the header on pinctrl-rp1 at 571. */
export const PI5_KERNEL_66: readonly BoardChip[] = [
  { label: 'gpio-brcmstb@107d508500', base: 512, ngpio: 32 },
  { label: 'gpio-brcmstb@107d508520', base: 544, ngpio: 4 },
  { label: 'gpio-brcmstb@107d517c00', base: 548, ngpio: 17 },
  { label: 'gpio-brcmstb@107d517c20', base: 565, ngpio: 6 },
  { label: 'pinctrl-rp1', base: 571, ngpio: 54 },
];

/**
 * A Raspberry Pi's GPIO header, simulated: `Gpio` is an onoff-compatible class (sysfs numbers,
 * directions, active-low, edges with interrupts, debounce) whose lines are pins on this board.
 * Outputs (LEDs, e-paper DC/RST) can be watched; inputs (button, BUSY) are driven by the test.
 * `writeSysfs` lays out the matching /sys/class/gpio tree for the numbering code.
 */
export class SimulatedGpioBoard {
  private readonly lines = new Map<number, LineState>();
  private readonly outputListeners = new Set<(bcm: number, level: Level) => void>();
  readonly header: BoardChip;
  readonly Gpio: GpioConstructor;

  constructor(readonly chips: readonly BoardChip[] = PI4_KERNEL_66) {
    const header = chips.find((c) => c.label.startsWith('pinctrl-'));
    if (header === undefined) throw new Error('a board needs a pinctrl chip');
    this.header = header;
    // The line class below reaches the board through these (a class body has its own `this`).
    const board = {
      bcmOf: (gpio: number) => this.bcmOf(gpio),
      line: (bcm: number) => this.line(bcm),
      setOutput: (bcm: number, level: Level) => this.setOutput(bcm, level),
    };
    this.Gpio = class implements GpioLine {
      private readonly state: LineState;
      private readonly bcm: number;
      private unexported = false;

      constructor(
        gpio: number,
        direction: GpioDirection,
        edge: GpioEdge = 'none',
        options: GpioLineOptions = {},
      ) {
        this.bcm = board.bcmOf(gpio);
        this.state = board.line(this.bcm);
        this.state.activeLow = options.activeLow ?? false;
        this.state.debounceMs = options.debounceTimeout ?? 0;
        this.state.edge = edge;
        if (direction === 'in') this.state.direction = 'in';
        else {
          this.state.direction = 'out';
          const logical: Level = direction === 'high' ? 1 : 0;
          if (direction !== 'out')
            board.setOutput(this.bcm, this.state.activeLow ? ((1 - logical) as Level) : logical);
        }
      }

      readSync(): Level {
        this.check();
        return this.state.activeLow ? ((1 - this.state.level) as Level) : this.state.level;
      }

      writeSync(value: Level): void {
        this.check();
        if (this.state.direction !== 'out')
          throw Object.assign(new Error('EPERM: operation not permitted, write'), {
            code: 'EPERM',
          });
        board.setOutput(this.bcm, this.state.activeLow ? ((1 - value) as Level) : value);
      }

      watch(callback: WatchCallback): void {
        this.check();
        if (this.state.edge === 'none') throw new Error('EINVAL: watch needs an edge');
        this.state.watchers.add(callback);
      }

      unwatchAll(): void {
        this.state.watchers.clear();
      }

      unexport(): void {
        this.state.watchers.clear();
        this.unexported = true;
      }

      private check(): void {
        if (this.unexported) throw new Error(`GPIO ${this.bcm} was unexported`);
      }
    };
  }

  /** The physical level of a pin. */
  level(bcm: number): Level {
    return this.line(bcm).level;
  }

  /** Something outside drives an input pin (a button, the panel's BUSY line). */
  drive(bcm: number, level: Level): void {
    const line = this.line(bcm);
    if (line.level === level) return;
    line.level = level;
    const logical: Level = line.activeLow ? ((1 - level) as Level) : level;
    const fires =
      line.edge === 'both' ||
      (line.edge === 'rising' && logical === 1) ||
      (line.edge === 'falling' && logical === 0);
    if (!fires || line.watchers.size === 0) return;
    const notify = (): void => {
      const now: Level = line.activeLow ? ((1 - line.level) as Level) : line.level;
      for (const w of line.watchers) w(null, now);
    };
    if (line.debounceMs > 0) {
      clearTimeout(line.debounce);
      line.debounce = setTimeout(notify, line.debounceMs);
    } else {
      notify();
    }
  }

  /** Calls `listener` whenever an output pin changes level. */
  onOutput(listener: (bcm: number, level: Level) => void): () => void {
    this.outputListeners.add(listener);
    return () => this.outputListeners.delete(listener);
  }

  /** /sys/class/gpio with one gpiochipN folder per chip, under `root`. */
  async writeSysfs(root: string): Promise<void> {
    for (const chip of this.chips) {
      const dir = join(root, 'class', 'gpio', `gpiochip${chip.base}`);
      await fs.mkdir(dir, { recursive: true });
      await fs.writeFile(join(dir, 'label'), `${chip.label}\n`);
      await fs.writeFile(join(dir, 'base'), `${chip.base}\n`);
      await fs.writeFile(join(dir, 'ngpio'), `${chip.ngpio}\n`);
    }
    await fs.writeFile(join(root, 'class', 'gpio', 'export'), '');
  }

  private setOutput(bcm: number, level: Level): void {
    const line = this.line(bcm);
    if (line.level === level) return;
    line.level = level;
    for (const l of this.outputListeners) l(bcm, level);
  }

  /** sysfs number → BCM; a number outside the header chip fails like the kernel's export does. */
  private bcmOf(sysfs: number): number {
    const bcm = sysfs - this.header.base;
    if (!Number.isInteger(sysfs) || bcm < 0 || bcm >= this.header.ngpio) {
      throw Object.assign(new Error('EINVAL: invalid argument, write'), {
        code: 'EINVAL',
        syscall: 'write',
        path: '/sys/class/gpio/export',
      });
    }
    return bcm;
  }

  private line(bcm: number): LineState {
    let line = this.lines.get(bcm);
    if (line === undefined) {
      line = {
        direction: 'in',
        edge: 'none',
        activeLow: false,
        debounceMs: 0,
        level: 0,
        watchers: new Set(),
      };
      this.lines.set(bcm, line);
    }
    return line;
  }
}
