import { describe, expect, it } from 'vitest';
import {
  cellMayIntersect,
  dateInterval,
  dateSpan,
  distanceKm,
  numberInterval,
  parseNear,
  parseNumber,
} from '../../../src/restore/search/query-values.js';

describe('query values', () => {
  it('reads numbers as photographers write them', () => {
    expect(parseNumber('1/250', 's')).toBeCloseTo(0.004);
    expect(parseNumber('2s', 's')).toBe(2);
    expect(parseNumber('f/2.8', 'f')).toBe(2.8);
    expect(parseNumber('600mm', 'mm')).toBe(600);
    expect(parseNumber('-1/3')).toBeCloseTo(-0.3333);
    expect(parseNumber('+0.7')).toBe(0.7);
    expect(() => parseNumber('fast')).toThrow('"fast" is not a number');
  });

  it('turns comparisons and ranges into intervals', () => {
    const n = (op: ':' | '>=' | '>' | '<' | '<=', v: string) =>
      numberInterval(op, v, (s) => parseNumber(s));
    expect(n(':', '4')).toEqual({ lo: 4, hi: 4, loInclusive: true, hiInclusive: true });
    expect(n(':', '3..5')).toEqual({ lo: 3, hi: 5, loInclusive: true, hiInclusive: true });
    expect(n(':', '..5')).toEqual({ hi: 5, loInclusive: true, hiInclusive: true });
    expect(n(':', '>=4')).toEqual({ lo: 4, loInclusive: true, hiInclusive: true });
    expect(n('>', '4')).toEqual({ lo: 4, loInclusive: false, hiInclusive: true });
    expect(n('<', '4')).toEqual({ hi: 4, loInclusive: true, hiInclusive: false });
    expect(n('<=', '4')).toEqual({ hi: 4, loInclusive: true, hiInclusive: true });
    expect(() => n(':', '5..3')).toThrow('empty');
    expect(() => n(':', '..')).toThrow('at least one end');
    expect(() => n(':', '3..x')).toThrow(expect.objectContaining({ offset: 3 }));
  });

  it('names date spans and ranges in wall-clock time', () => {
    expect(dateSpan('2026')).toEqual({ start: Date.UTC(2026, 0, 1), end: Date.UTC(2027, 0, 1) });
    expect(dateSpan('2026-11')).toEqual({
      start: Date.UTC(2026, 10, 1),
      end: Date.UTC(2026, 11, 1),
    });
    expect(dateSpan('2026-11-20T06:30')).toEqual({
      start: Date.UTC(2026, 10, 20, 6, 30),
      end: Date.UTC(2026, 10, 20, 6, 31),
    });
    expect(dateSpan('2026-11-20 06:30:15')).toEqual({
      start: Date.UTC(2026, 10, 20, 6, 30, 15),
      end: Date.UTC(2026, 10, 20, 6, 30, 16),
    });
    expect(() => dateSpan('2026-02-30')).toThrow('not a valid date');
    expect(() => dateSpan('yesterday')).toThrow('not a date');
    expect(dateInterval(':', '2026-11-20..2026-11-23')).toEqual({
      lo: Date.UTC(2026, 10, 20),
      hi: Date.UTC(2026, 10, 24),
    });
    expect(dateInterval(':', '2026-11-20..')).toEqual({ lo: Date.UTC(2026, 10, 20) });
    expect(dateInterval('>', '2026-11-20')).toEqual({ lo: Date.UTC(2026, 10, 21) });
    expect(dateInterval('>=', '2026-11')).toEqual({ lo: Date.UTC(2026, 10, 1) });
    expect(dateInterval('<', '2026')).toEqual({ hi: Date.UTC(2026, 0, 1) });
    expect(dateInterval(':', '<=2026-11-20')).toEqual({ hi: Date.UTC(2026, 10, 21) });
    expect(() => dateInterval(':', '2026-11-23..2026-11-20')).toThrow('empty');
    expect(() => dateInterval(':', '2026-11-20..nope')).toThrow(
      expect.objectContaining({ offset: 12 }),
    );
  });

  it('parses near: with units and bounds', () => {
    expect(parseNear('-1.29,36.82,25km')).toEqual({ lat: -1.29, lon: 36.82, radiusKm: 25 });
    expect(parseNear('10,20,500m')).toEqual({ lat: 10, lon: 20, radiusKm: 0.5 });
    expect(parseNear('10,20,2mi').radiusKm).toBeCloseTo(3.2187);
    expect(parseNear('10,20').radiusKm).toBe(10);
    expect(() => parseNear('91,0')).toThrow('latitude');
    expect(() => parseNear('0,181')).toThrow(expect.objectContaining({ offset: 2 }));
    expect(() => parseNear('0,0,far')).toThrow('radius');
    expect(() => parseNear('0')).toThrow('lat,lon');
  });

  it('measures great-circle distances and grid cells across the antimeridian and at the poles', () => {
    expect(distanceKm(-1.2921, 36.8219, -1.4061, 35.0086)).toBeCloseTo(201.9, 0);
    expect(distanceKm(-16.5, 179.9995, -16.5, -179.9995)).toBeLessThan(0.2);
    expect(distanceKm(90, 0, 90, 135)).toBeCloseTo(0, 5);
    const c = { lat: -16.5, lon: 180, radiusKm: 5 };
    expect(cellMayIntersect(c, -166, -1800, 10)).toBe(true);
    expect(cellMayIntersect(c, -166, 1799, 10)).toBe(true);
    expect(cellMayIntersect(c, -166, 0, 10)).toBe(false);
    expect(cellMayIntersect({ lat: 89.99, lon: 0, radiusKm: 10 }, 89, 135, 1)).toBe(true);
    expect(cellMayIntersect({ lat: 0, lon: 0, radiusKm: 10 }, 5, 0, 1)).toBe(false);
  });
});
