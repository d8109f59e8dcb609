import { LED_COLORS, type Led, type LedColor } from '../hardware/ports/index.js';
import { samePattern, type LedPattern, type LedPatterns } from './leds.js';

/**
 * Plays patterns on the LEDs. A steady LED costs nothing; a blinking one is one timer. A
 * pattern that stays the same keeps its rhythm (no restart on every status update).
 */
export class LedPlayer {
  private readonly current = new Map<LedColor, LedPattern>();
  private readonly timers = new Map<LedColor, NodeJS.Timeout>();

  constructor(private readonly leds: Partial<Record<LedColor, Led>>) {}

  play(patterns: LedPatterns): void {
    for (const color of LED_COLORS) {
      const pattern = patterns[color];
      const before = this.current.get(color);
      if (before !== undefined && samePattern(before, pattern)) continue;
      this.current.set(color, pattern);
      this.start(color, pattern);
    }
  }

  /** Everything off, timers stopped. */
  stop(): void {
    for (const color of LED_COLORS) {
      clearTimeout(this.timers.get(color));
      this.timers.delete(color);
      this.leds[color]?.set(false);
    }
    this.current.clear();
  }

  private start(color: LedColor, pattern: LedPattern): void {
    clearTimeout(this.timers.get(color));
    this.timers.delete(color);
    const led = this.leds[color];
    if (led === undefined) return;
    if (pattern.kind !== 'blink') {
      led.set(pattern.kind === 'on');
      return;
    }
    const step = (on: boolean): void => {
      led.set(on);
      this.timers.set(
        color,
        setTimeout(() => step(!on), on ? pattern.onMs : pattern.offMs),
      );
    };
    step(true);
  }
}
