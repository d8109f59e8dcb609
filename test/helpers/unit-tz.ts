import { onTestFinished } from 'vitest';

/** Runs the rest of the current test in time zone `tz` (Node applies a change of TZ at once). */
export function useTimeZone(tz: string): void {
  const before = process.env.TZ;
  process.env.TZ = tz;
  onTestFinished(() => {
    if (before === undefined) delete process.env.TZ;
    else process.env.TZ = before;
  });
}
