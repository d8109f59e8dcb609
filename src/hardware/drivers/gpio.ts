import * as fs from 'node:fs/promises';
import { join } from 'node:path';
import { FieldBackupError } from '../../core/index.js';

/**
 * One GPIO line as `onoff` exposes it (the subset the box uses). The constructor takes the
 * sysfs number, not the BCM number: see `GpioNumbering`.
 */
export interface GpioLine {
  readSync(): 0 | 1;
  writeSync(value: 0 | 1): void;
  watch(callback: (err: Error | null | undefined, value: 0 | 1) => void): void;
  unwatchAll(): void;
  unexport(): void;
}

export type GpioDirection = 'in' | 'out' | 'high' | 'low';
export type GpioEdge = 'none' | 'rising' | 'falling' | 'both';

export interface GpioLineOptions {
  readonly debounceTimeout?: number;
  readonly activeLow?: boolean;
  readonly reconfigureDirection?: boolean;
}

/** `onoff`'s `Gpio` class, or anything with its shape (hardware-mocks' simulated board). */
export type GpioConstructor = new (
  gpio: number,
  direction: GpioDirection,
  edge?: GpioEdge,
  options?: GpioLineOptions,
) => GpioLine;

/** Loads `onoff` (native epoll addon) only when the box really drives GPIO. */
export async function loadOnoff(): Promise<GpioConstructor> {
  const onoff = (await import('onoff')) as unknown as { Gpio: GpioConstructor };
  return onoff.Gpio;
}

export interface GpioChipInfo {
  /** gpiochipN: the directory name under /sys/class/gpio. */
  readonly name: string;
  readonly label: string;
  /** sysfs number of line 0 (0 on old kernels, 512 on Pi 4 with 6.6, 571 on Pi 5 …). */
  readonly base: number;
  readonly ngpio: number;
}

/** The GPIO chips the kernel lists in sysfs. */
export async function listGpioChips(sysfsRoot = '/sys'): Promise<GpioChipInfo[]> {
  const dir = join(sysfsRoot, 'class', 'gpio');
  const names = await fs.readdir(dir).catch((err: unknown) => {
    throw new FieldBackupError(
      'E_HARDWARE',
      `GPIO is not available: cannot list ${dir} (${String(err)}); is this a Raspberry Pi with CONFIG_GPIO_SYSFS?`,
      { subject: { device: dir }, cause: err },
    );
  });
  const chips: GpioChipInfo[] = [];
  for (const name of names.filter((n) => n.startsWith('gpiochip')).sort()) {
    const read = (file: string): Promise<string> =>
      fs.readFile(join(dir, name, file), 'utf8').then((s) => s.trim());
    try {
      chips.push({
        name,
        label: await read('label'),
        base: Number(await read('base')),
        ngpio: Number(await read('ngpio')),
      });
    } catch {
      // A chip whose attributes cannot be read is not one we can use; the others still count.
    }
  }
  return chips;
}

/**
 * BCM pin number → sysfs GPIO number. Kernels before 6.6 number the SoC's lines from 0; since
 * 6.6 they start at 512 (Pi 4) or 571 (Pi 5), so the base is read from the chip whose label
 * starts with "pinctrl-" (pinctrl-bcm2835, pinctrl-bcm2711, pinctrl-rp1) instead of assumed.
 */
export class GpioNumbering {
  private constructor(readonly chip: GpioChipInfo) {}

  static async detect(sysfsRoot = '/sys', labelPrefix = 'pinctrl-'): Promise<GpioNumbering> {
    const chips = await listGpioChips(sysfsRoot);
    const candidates = chips.filter((c) => c.label.startsWith(labelPrefix));
    // The header's chip has at least the 28 lines of the 40-pin header.
    const chip = candidates.find((c) => c.ngpio >= 28) ?? candidates[0];
    if (chip === undefined) {
      const seen = chips.map((c) => `${c.name} "${c.label}" base ${c.base}`).join(', ');
      throw new FieldBackupError(
        'E_HARDWARE',
        `no GPIO chip labelled "${labelPrefix}…" in ${sysfsRoot}/class/gpio (found: ${seen || 'none'}); set hardware.gpio.chipLabel`,
        { subject: { field: 'hardware.gpio.chipLabel' } },
      );
    }
    return new GpioNumbering(chip);
  }

  /** The sysfs number of BCM pin `bcm`. */
  sysfs(bcm: number): number {
    if (!Number.isInteger(bcm) || bcm < 0 || bcm >= this.chip.ngpio) {
      throw new FieldBackupError(
        'E_CONFIG',
        `GPIO ${bcm} does not exist on ${this.chip.label} (lines 0–${this.chip.ngpio - 1})`,
        { subject: { device: this.chip.name } },
      );
    }
    return this.chip.base + bcm;
  }
}

/** Opens lines by BCM number. */
export class GpioPins {
  constructor(
    readonly numbering: GpioNumbering,
    private readonly Gpio: GpioConstructor,
  ) {}

  /** An output, starting low (glitch-free: direction "low" sets the level with the direction). */
  output(bcm: number, options: GpioLineOptions = {}): GpioLine {
    return this.open(bcm, 'low', 'none', options);
  }

  input(bcm: number, edge: GpioEdge = 'none', options: GpioLineOptions = {}): GpioLine {
    return this.open(bcm, 'in', edge, options);
  }

  private open(
    bcm: number,
    direction: GpioDirection,
    edge: GpioEdge,
    options: GpioLineOptions,
  ): GpioLine {
    const number = this.numbering.sysfs(bcm);
    try {
      return new this.Gpio(number, direction, edge, options);
    } catch (err) {
      throw new FieldBackupError(
        'E_HARDWARE',
        `cannot open GPIO ${bcm} (sysfs ${number}): ${String(err)}`,
        { subject: { device: `gpio${number}` }, cause: err },
      );
    }
  }
}
