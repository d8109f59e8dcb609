/**
 * Capture times are kept as the camera's wall clock (what the photographer saw), in a Date
 * whose UTC fields hold that wall clock; the offset, when known, is kept beside it.
 */
export interface WallClockTime {
  readonly wallClock: Date;
  /** Minutes east of UTC, when the file says. */
  readonly offsetMinutes?: number;
}

const EXIF_DATE_RE =
  /^(\d{4}):(\d{2}):(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?\s*(Z|[+-]\d{2}:?\d{2})?/;

/** Parses an EXIF/XMP date ("2026:11:20 06:12:01.25+03:00"); undefined for blanks and impossible dates. */
export function parseExifDate(raw: unknown): WallClockTime | undefined {
  if (typeof raw !== 'string') return undefined;
  const m = EXIF_DATE_RE.exec(raw.trim());
  if (m === null) return undefined;
  const [, y, mo, d, h, mi, s, frac, tz] = m;
  const ms = frac === undefined ? 0 : Math.round(Number(`0.${frac}`) * 1000);
  const wall = new Date(
    Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms),
  );
  if (
    Number.isNaN(wall.getTime()) ||
    wall.getUTCFullYear() < 1900 ||
    wall.getUTCMonth() !== Number(mo) - 1 ||
    wall.getUTCDate() !== Number(d)
  ) {
    return undefined;
  }
  return tz === undefined
    ? { wallClock: wall }
    : { wallClock: wall, offsetMinutes: parseOffset(tz) };
}

function parseOffset(tz: string): number {
  if (tz === 'Z') return 0;
  const sign = tz.startsWith('-') ? -1 : 1;
  const digits = tz.slice(1).replace(':', '');
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4)));
}

/** The box's local wall clock at an instant (used when a file carries no capture time: its mtime). */
export function localWallClock(instant: Date): Date {
  return new Date(instant.getTime() - instant.getTimezoneOffset() * 60_000);
}
