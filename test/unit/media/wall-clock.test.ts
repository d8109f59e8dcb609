import { describe, expect, it } from 'vitest';
import { localWallClock, parseExifDate } from '../../../src/media/index.js';
import { useTimeZone } from '../../helpers/unit-tz.js';

const utc = (...p: [number, number, number, number, number, number, number?]): Date =>
  new Date(Date.UTC(p[0], p[1] - 1, p[2], p[3], p[4], p[5], p[6] ?? 0));

describe('parseExifDate', () => {
  it('reads an EXIF date as the wall clock, without an offset', () => {
    expect(parseExifDate('2026:11:20 06:12:01')).toEqual({
      wallClock: utc(2026, 11, 20, 6, 12, 1),
    });
  });

  it('reads subseconds', () => {
    expect(parseExifDate('2026:11:20 06:12:01.25')?.wallClock).toEqual(
      utc(2026, 11, 20, 6, 12, 1, 250),
    );
    expect(parseExifDate('2026:11:20 06:12:01.5')?.wallClock.getUTCMilliseconds()).toBe(500);
    expect(parseExifDate('2026:11:20 06:12:01.123456')?.wallClock.getUTCMilliseconds()).toBe(123);
  });

  it('keeps the wall clock and records a positive offset, with or without colon', () => {
    expect(parseExifDate('2026:11:20 06:12:01.25+03:00')).toEqual({
      wallClock: utc(2026, 11, 20, 6, 12, 1, 250),
      offsetMinutes: 180,
    });
    expect(parseExifDate('2026:11:20 06:12:01+0530')?.offsetMinutes).toBe(330);
  });

  it('records a negative offset and Z', () => {
    expect(parseExifDate('2026:01:02 23:59:59-03:30')).toEqual({
      wallClock: utc(2026, 1, 2, 23, 59, 59),
      offsetMinutes: -210,
    });
    expect(parseExifDate('2026:01:02 23:59:59Z')).toEqual({
      wallClock: utc(2026, 1, 2, 23, 59, 59),
      offsetMinutes: 0,
    });
  });

  it('accepts an XMP-style T and surrounding blanks', () => {
    expect(parseExifDate('  2026:01:02T03:04:05  ')?.wallClock).toEqual(utc(2026, 1, 2, 3, 4, 5));
  });

  it.each([
    ['impossible day', '2026:02:30 10:00:00'],
    ['all zeros', '0000:00:00 00:00:00'],
    ['month 13', '2026:13:01 10:00:00'],
    ['day 0', '2026:01:00 10:00:00'],
    ['blank', '    '],
    ['empty', ''],
    ['not a date', 'n/a'],
    ['date only', '2026:01:02'],
  ])('gives undefined for %s', (_why, raw) => {
    expect(parseExifDate(raw)).toBeUndefined();
  });

  it('gives undefined for non-strings', () => {
    expect(parseExifDate(undefined)).toBeUndefined();
    expect(parseExifDate(20261120)).toBeUndefined();
    expect(parseExifDate(new Date())).toBeUndefined();
  });

  it('accepts 29 February only in a leap year', () => {
    expect(parseExifDate('2024:02:29 12:00:00')?.wallClock).toEqual(utc(2024, 2, 29, 12, 0, 0));
    expect(parseExifDate('2026:02:29 12:00:00')).toBeUndefined();
  });
});

describe('localWallClock', () => {
  it("puts the box's local time of an instant in the UTC fields", () => {
    const instant = new Date('2026-07-01T12:34:56.789Z');
    const wall = localWallClock(instant);
    expect(wall.getUTCFullYear()).toBe(instant.getFullYear());
    expect(wall.getUTCMonth()).toBe(instant.getMonth());
    expect(wall.getUTCDate()).toBe(instant.getDate());
    expect(wall.getUTCHours()).toBe(instant.getHours());
    expect(wall.getUTCMinutes()).toBe(instant.getMinutes());
    expect(wall.getUTCSeconds()).toBe(instant.getSeconds());
    expect(wall.getUTCMilliseconds()).toBe(789);
  });

  it('shifts east and west of UTC by the zone offset in force at that instant', () => {
    useTimeZone('Asia/Kolkata');
    expect(localWallClock(new Date('2026-07-01T20:00:00Z')).toISOString()).toBe(
      '2026-07-02T01:30:00.000Z',
    );
    useTimeZone('America/New_York');
    expect(localWallClock(new Date('2026-07-01T02:00:00Z')).toISOString()).toBe(
      '2026-06-30T22:00:00.000Z',
    );
    expect(localWallClock(new Date('2026-01-15T02:00:00Z')).toISOString()).toBe(
      '2026-01-14T21:00:00.000Z',
    );
  });
});
