import type { Button, Led } from '../ports/index.js';
import type { GpioLine, GpioPins } from './gpio.js';

/** An LED on a GPIO output (a level written only when it changes). */
export class GpioLed implements Led {
  private state = false;
  private readonly line: GpioLine;

  constructor(pins: GpioPins, bcm: number, activeLow = false) {
    this.line = pins.output(bcm, { activeLow });
  }

  set(on: boolean): void {
    if (on === this.state) return;
    this.state = on;
    this.line.writeSync(on ? 1 : 0);
  }

  close(): void {
    this.line.writeSync(0);
    this.line.unexport();
  }
}

/**
 * A push button on a GPIO input with interrupts on both edges (no polling). Pull-ups are set
 * in config.txt (sysfs cannot); with `activeLow` a button to ground reads 1 when pressed.
 */
export class GpioButton implements Button {
  private readonly line: GpioLine;

  constructor(pins: GpioPins, bcm: number, options: { activeLow: boolean; debounceMs: number }) {
    this.line = pins.input(bcm, 'both', {
      activeLow: options.activeLow,
      debounceTimeout: options.debounceMs,
    });
  }

  watch(listener: (pressed: boolean) => void): () => void {
    let last: boolean | undefined;
    const callback = (err: Error | null | undefined, value: 0 | 1): void => {
      if (err !== null && err !== undefined) return;
      const pressed = value === 1;
      // Bounces that survive the debounce can repeat a level; only changes are presses.
      if (pressed === last) return;
      last = pressed;
      listener(pressed);
    };
    this.line.watch(callback);
    return () => this.line.unwatchAll();
  }

  close(): void {
    this.line.unwatchAll();
    this.line.unexport();
  }
}
