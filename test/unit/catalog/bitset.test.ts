import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Bitset } from '../../../src/index.js';
import { decodeChunk, encodeChunk } from '../../../src/catalog/search/bitset.js';

describe('posting chunks', () => {
  it('round-trip any set of offsets, as an array while small and as a bitmap once that is smaller', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: 4095 }), { maxLength: 1200 }),
        (offsets) => {
          const encoded = encodeChunk(new Set(offsets));
          if (offsets.length === 0) return encoded === undefined;
          expect(encoded!.length).toBeLessThanOrEqual(513);
          expect(encoded![0]).toBe(offsets.length <= 256 ? 0 : 1);
          expect([...decodeChunk(encoded)].sort((a, b) => a - b)).toEqual(
            [...offsets].sort((a, b) => a - b),
          );
          return true;
        },
      ),
      { numRuns: 200 },
    );
    expect(decodeChunk(undefined).size).toBe(0);
  });

  it('OR into, and intersect with, a result set at the chunk position', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: 4095 }), { maxLength: 600 }),
        fc.integer({ min: 0, max: 3 }),
        (offsets, chunk) => {
          const set = new Bitset(4 * 4096);
          set.orChunk(chunk, encodeChunk(new Set(offsets)) ?? Buffer.from([0]));
          const ids = offsets.map((o) => chunk * 4096 + o).sort((a, b) => a - b);
          expect([...set.ids()]).toEqual(ids);
          const evens = new Bitset(4 * 4096);
          for (let i = 0; i < 4 * 4096; i += 2) evens.add(i);
          expect(
            evens.intersectChunk(chunk, encodeChunk(new Set(offsets)) ?? Buffer.from([0])),
          ).toEqual(ids.filter((i) => i % 2 === 0));
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('Bitset', () => {
  it('does and, or, and-not, count and ids like sets do', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.nat(999)), fc.uniqueArray(fc.nat(999)), (as, bs) => {
        const make = (xs: number[]): Bitset => {
          const b = new Bitset(1000);
          xs.forEach((x) => b.add(x));
          return b;
        };
        const A = new Set(as);
        const B = new Set(bs);
        expect([...make(as).and(make(bs)).ids()]).toEqual(
          [...A].filter((x) => B.has(x)).sort((a, b) => a - b),
        );
        expect(make(as).or(make(bs)).count()).toBe(new Set([...as, ...bs]).size);
        expect([...make(as).andNot(make(bs)).ids()]).toEqual(
          [...A].filter((x) => !B.has(x)).sort((a, b) => a - b),
        );
      }),
    );
  });

  it('full() holds exactly size ids; add/delete/has ignore ids beyond the size', () => {
    const f = Bitset.full(70);
    expect(f.count()).toBe(70);
    expect(f.has(69)).toBe(true);
    expect(f.has(70)).toBe(false);
    f.delete(3);
    f.add(500);
    expect(f.count()).toBe(69);
  });
});
