/** Time comes in through this, so tests and simulations can run on a clock of their own. */
export interface Clock {
  now(): Date;
  /** Monotonic milliseconds, for durations and rates. */
  monotonicMs(): number;
}

export const systemClock: Clock = {
  now: () => new Date(),
  monotonicMs: () => performance.now(),
};
