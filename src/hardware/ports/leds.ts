/** The box's status LEDs, by colour. */
export type LedColor = 'green' | 'amber' | 'red';

export const LED_COLORS: readonly LedColor[] = ['green', 'amber', 'red'];

/** One LED: on or off (patterns are played by the status layer). */
export interface Led {
  set(on: boolean): void;
  close(): void;
}
