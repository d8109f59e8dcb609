import { describe, expect, it } from 'vitest';
import { asContentHash, isContentHash, newJobId, newVaultId } from '../../../src/core/index.js';

describe('asContentHash', () => {
  it('accepts 32 lowercase hex digits and returns the same string', () => {
    const hex = '99aa06d3014798d86001c324468d497f';
    expect(asContentHash(hex)).toBe(hex);
    expect(isContentHash(hex)).toBe(true);
  });

  it.each([
    ['upper case', '99AA06D3014798D86001C324468D497F'],
    ['too short', '99aa06d3014798d86001c324468d497'],
    ['too long', '99aa06d3014798d86001c324468d497f0'],
    ['non-hex digit', '99aa06d3014798d86001c324468d497g'],
    ['empty', ''],
    ['surrounding whitespace', ' 99aa06d3014798d86001c324468d497f'],
  ])('rejects %s with a TypeError naming the value', (_why, value) => {
    expect(isContentHash(value)).toBe(false);
    expect(() => asContentHash(value)).toThrow(TypeError);
    expect(() => asContentHash(value)).toThrow(JSON.stringify(value));
  });
});

describe('newJobId', () => {
  it('sorts in the order of the times it was made for', () => {
    const base = Date.UTC(2026, 0, 31, 23, 59, 59, 998);
    const times = [0, 1, 2, 1000, 60_000, 86_400_000, 400 * 86_400_000].map(
      (d) => new Date(base + d),
    );
    const ids = times.map((t) => newJobId(t));
    const shuffled = [...ids].reverse();
    expect(shuffled.sort()).toEqual(ids);
  });

  it('is unique for the same instant', () => {
    const now = new Date('2026-05-01T10:00:00.000Z');
    const ids = new Set(Array.from({ length: 200 }, () => newJobId(now)));
    expect(ids.size).toBe(200);
  });

  it('contains no characters that are unsafe in a file name', () => {
    expect(newJobId(new Date('2026-05-01T10:00:00.123Z'))).toMatch(/^[0-9A-Za-z-]+$/);
  });
});

describe('newVaultId', () => {
  it('gives a different id every time', () => {
    expect(newVaultId()).not.toBe(newVaultId());
  });
});
