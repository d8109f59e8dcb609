import type { Comparison } from './query-ast.js';

/** A half-open interval [lo, hi) of numbers, either end open (undefined). */
export interface Interval {
  readonly lo?: number;
  readonly hi?: number;
  readonly loInclusive: boolean;
  readonly hiInclusive: boolean;
}

export class ValueError extends Error {
  constructor(
    message: string,
    /** Offset within the value. */
    readonly offset = 0,
  ) {
    super(message);
  }
}

/** A number as photographers write it: "1/250", "f/2.8", "600mm", "-1/3", "+0.7", "2s". */
export function parseNumber(raw: string, unit?: 'mm' | 's' | 'f'): number {
  let s = raw.trim().toLowerCase();
  if (unit === 'f') s = s.replace(/^f\/?/, '');
  if (unit === 'mm') s = s.replace(/mm$/, '');
  if (unit === 's') s = s.replace(/s$/, '');
  const frac = /^([+-]?\d+(?:\.\d+)?)\/(\d+(?:\.\d+)?)$/.exec(s);
  const n =
    frac !== null
      ? Number(frac[1]) / Number(frac[2])
      : /^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(s)
        ? Number(s)
        : NaN;
  if (!Number.isFinite(n)) throw new ValueError(`"${raw}" is not a number`);
  return n;
}

/** field:4, field:3..5, field:..5, field>=4 (and field:>=4) as an interval of numbers. */
export function numberInterval(
  op: Comparison,
  raw: string,
  parse: (s: string) => number,
): Interval {
  const inner = /^(>=|<=|>|<)(.+)$/.exec(raw);
  if (op === ':' && inner !== null) return numberInterval(inner[1] as Comparison, inner[2]!, parse);
  if (op === ':' || op === '=') {
    const dots = raw.indexOf('..');
    if (dots >= 0) {
      const a = raw.slice(0, dots);
      const b = raw.slice(dots + 2);
      if (a === '' && b === '') throw new ValueError('a range needs at least one end');
      const lo = a === '' ? undefined : parseAt(parse, a, 0);
      const hi = b === '' ? undefined : parseAt(parse, b, dots + 2);
      if (lo !== undefined && hi !== undefined && lo > hi)
        throw new ValueError(`the range ${raw} is empty (${a} is after ${b})`);
      return {
        ...(lo === undefined ? {} : { lo }),
        ...(hi === undefined ? {} : { hi }),
        loInclusive: true,
        hiInclusive: true,
      };
    }
    const v = parse(raw);
    return { lo: v, hi: v, loInclusive: true, hiInclusive: true };
  }
  const v = parse(raw);
  switch (op) {
    case '>':
      return { lo: v, loInclusive: false, hiInclusive: true };
    case '>=':
      return { lo: v, loInclusive: true, hiInclusive: true };
    case '<':
      return { hi: v, loInclusive: true, hiInclusive: false };
    default:
      return { hi: v, loInclusive: true, hiInclusive: true };
  }
}

function parseAt(parse: (s: string) => number, s: string, offset: number): number {
  try {
    return parse(s);
  } catch (err) {
    throw err instanceof ValueError ? new ValueError(err.message, offset + err.offset) : err;
  }
}

const DATE_RE = /^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2}))?)?)?)?$/;

/** A date as the span it names, in wall-clock ms: 2026 → the year, 2026-11-20T06:30 → that minute. */
export function dateSpan(raw: string): { start: number; end: number } {
  const m = DATE_RE.exec(raw.trim());
  if (m === null)
    throw new ValueError(`"${raw}" is not a date (YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DDTHH:MM)`);
  const [, y, mo, d, h, mi, s] = m;
  const parts = [
    Number(y),
    mo === undefined ? 1 : Number(mo),
    d === undefined ? 1 : Number(d),
    Number(h ?? 0),
    Number(mi ?? 0),
    Number(s ?? 0),
  ];
  const start = Date.UTC(parts[0]!, parts[1]! - 1, parts[2], parts[3], parts[4], parts[5]);
  const check = new Date(start);
  if (
    check.getUTCMonth() !== parts[1]! - 1 ||
    check.getUTCDate() !== parts[2] ||
    parts[3]! > 23 ||
    parts[4]! > 59 ||
    parts[5]! > 59
  )
    throw new ValueError(`"${raw}" is not a valid date`);
  const next = (): number => {
    if (s !== undefined) return start + 1000;
    if (mi !== undefined) return start + 60_000;
    if (d !== undefined) return start + 86_400_000;
    if (mo !== undefined) return Date.UTC(parts[0]!, parts[1], 1);
    return Date.UTC(parts[0]! + 1, 0, 1);
  };
  return { start, end: next() };
}

/** date:X, date:X..Y, date>=X… as a half-open interval of wall-clock ms. */
export function dateInterval(op: Comparison, raw: string): { lo?: number; hi?: number } {
  const inner = /^(>=|<=|>|<)(.+)$/.exec(raw);
  if (op === ':' && inner !== null) return dateInterval(inner[1] as Comparison, inner[2]!);
  const at = (s: string, offset: number): { start: number; end: number } => {
    try {
      return dateSpan(s);
    } catch (err) {
      throw err instanceof ValueError ? new ValueError(err.message, offset) : err;
    }
  };
  if (op === ':' || op === '=') {
    const dots = raw.indexOf('..');
    if (dots < 0) {
      const span = at(raw, 0);
      return { lo: span.start, hi: span.end };
    }
    const a = raw.slice(0, dots);
    const b = raw.slice(dots + 2);
    if (a === '' && b === '') throw new ValueError('a range needs at least one end');
    const lo = a === '' ? undefined : at(a, 0).start;
    const hi = b === '' ? undefined : at(b, dots + 2).end;
    if (lo !== undefined && hi !== undefined && lo >= hi)
      throw new ValueError(`the range ${raw} is empty`);
    return { ...(lo === undefined ? {} : { lo }), ...(hi === undefined ? {} : { hi }) };
  }
  const span = at(raw, 0);
  switch (op) {
    case '>':
      return { lo: span.end };
    case '>=':
      return { lo: span.start };
    case '<':
      return { hi: span.start };
    default:
      return { hi: span.end };
  }
}

export interface Circle {
  readonly lat: number;
  readonly lon: number;
  readonly radiusKm: number;
}

/** near:lat,lon[,radius] — radius in km (default), m or mi; 10 km when omitted. */
export function parseNear(raw: string): Circle {
  const parts = raw.split(',');
  if (parts.length < 2 || parts.length > 3)
    throw new ValueError('near: needs lat,lon or lat,lon,radius (e.g. near:-1.29,36.82,25km)');
  const lat = Number(parts[0]);
  const lon = Number(parts[1]);
  if (!Number.isFinite(lat) || lat < -90 || lat > 90)
    throw new ValueError(`latitude "${parts[0]}" must be a number from -90 to 90`);
  if (!Number.isFinite(lon) || lon < -180 || lon > 180)
    throw new ValueError(
      `longitude "${parts[1]}" must be a number from -180 to 180`,
      parts[0]!.length + 1,
    );
  let radiusKm = 10;
  if (parts[2] !== undefined) {
    const m = /^(\d+(?:\.\d+)?)\s*(km|m|mi)?$/i.exec(parts[2].trim());
    const offset = parts[0]!.length + parts[1]!.length + 2;
    if (m === null)
      throw new ValueError(`radius "${parts[2]}" must be like 25km, 500m or 10mi`, offset);
    const unit = (m[2] ?? 'km').toLowerCase();
    radiusKm = Number(m[1]) * (unit === 'm' ? 0.001 : unit === 'mi' ? 1.609344 : 1);
    if (radiusKm <= 0 || radiusKm > 20_016)
      throw new ValueError(
        "radius must be more than 0 and at most half the Earth's circumference",
        offset,
      );
  }
  return { lat, lon, radiusKm };
}

const EARTH_KM = 6371.0088;
const rad = (d: number): number => (d * Math.PI) / 180;

/** Great-circle distance in km. */
export function distanceKm(aLat: number, aLon: number, bLat: number, bLon: number): number {
  const dLat = rad(bLat - aLat);
  const dLon = rad(bLon - aLon);
  const h =
    Math.sin(dLat / 2) ** 2 + Math.cos(rad(aLat)) * Math.cos(rad(bLat)) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Whether the grid cell (lat, lon indexes at `perDegree` cells per degree) can hold points of the circle. */
export function cellMayIntersect(
  c: Circle,
  latIndex: number,
  lonIndex: number,
  perDegree: number,
): boolean {
  const dLat = c.radiusKm / 111.32;
  const latLo = latIndex / perDegree;
  const latHi = (latIndex + 1) / perDegree;
  if (latHi < c.lat - dLat || latLo > c.lat + dLat) return false;
  const maxLat = Math.min(90, Math.max(Math.abs(c.lat - dLat), Math.abs(c.lat + dLat)));
  const cos = Math.cos(rad(maxLat));
  if (cos < 1e-6 || c.lat + dLat >= 90 || c.lat - dLat <= -90) return true;
  const dLon = c.radiusKm / (111.32 * cos);
  if (dLon >= 180) return true;
  const lonLo = lonIndex / perDegree;
  const lonHi = (lonIndex + 1) / perDegree;
  // The circle's longitude span, possibly across the antimeridian.
  for (const shift of [-360, 0, 360])
    if (lonHi + shift >= c.lon - dLon && lonLo + shift <= c.lon + dLon) return true;
  return false;
}

/**
 * Whether every point of the cell is within the circle: its four corners are (distance along a
 * parallel or a meridian segment is largest at one of its ends). Cells at a pole never are.
 */
export function cellInside(
  c: Circle,
  latIndex: number,
  lonIndex: number,
  perDegree: number,
): boolean {
  const lats = [latIndex / perDegree, (latIndex + 1) / perDegree];
  const lons = [lonIndex / perDegree, (lonIndex + 1) / perDegree];
  if (lats.some((l) => Math.abs(l) >= 90)) return false;
  return lats.every((la) => lons.every((lo) => distanceKm(c.lat, c.lon, la, lo) <= c.radiusKm));
}
