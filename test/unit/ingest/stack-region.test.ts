import { describe, expect, it } from 'vitest';
import type { ContentHash, JobId, StackRecord } from '../../../src/index.js';
import { capturesToRegroup, numberStacks } from '../../../src/ingest/stacks/index.js';

const stack = (no: number, keys: readonly string[]): StackRecord => ({
  jobId: 'job' as JobId,
  no,
  kind: 'burst',
  pick: 0,
  frames: keys.map((k) => ({
    captureKey: k,
    files: [{ relPath: `${k}.JPG`, hash: k.padStart(32, '0') as ContentHash }],
  })),
});

const GAP = 3000;
// Two runs of frames a minute apart, and a frame without a capture time.
const times = new Map<string, number | undefined>([
  ['a', 0],
  ['b', 1000],
  ['c', 4000],
  ['d', 60_000],
  ['e', 61_500],
  ['u', undefined],
]);
const sorted = (s: Set<string>): string[] => [...s].sort();

describe('capturesToRegroup', () => {
  it('takes the run of frames a new one falls in (gaps up to the profile’s), and the untimed frames', () => {
    expect(sorted(capturesToRegroup(times, new Set(['e']), [], GAP))).toEqual(['d', 'e', 'u']);
    // c is exactly one gap after b: same run.
    expect(sorted(capturesToRegroup(times, new Set(['a']), [], GAP))).toEqual(['a', 'b', 'c', 'u']);
    expect(sorted(capturesToRegroup(times, new Set(['c', 'e']), [], GAP))).toEqual([
      'a',
      'b',
      'c',
      'd',
      'e',
      'u',
    ]);
  });

  it('looks at nothing when nothing with an image arrived', () => {
    expect(capturesToRegroup(times, new Set(), [], GAP).size).toBe(0);
    expect(capturesToRegroup(times, new Set(['sound-only']), [], GAP).size).toBe(0);
  });

  it('a new frame without a time may join anything: every capture', () => {
    const withNew = new Map([...times, ['v', undefined]]);
    expect(capturesToRegroup(withNew, new Set(['v']), [], GAP).size).toBe(withNew.size);
  });

  it('takes a stack found before whole, with the runs of its frames', () => {
    // An untimed frame stacked with the first run: regrouping it regroups that run too.
    const region = capturesToRegroup(times, new Set(['e']), [stack(1, ['a', 'u'])], GAP);
    expect(sorted(region)).toEqual(['a', 'b', 'c', 'd', 'e', 'u']);
    // A stack of the other run stays out.
    expect(sorted(capturesToRegroup(times, new Set(['d']), [stack(1, ['a', 'b'])], GAP))).toEqual([
      'd',
      'e',
      'u',
    ]);
  });
});

describe('numberStacks', () => {
  it('numbers stacks in the capture order of their first frames, untimed ones last', () => {
    const at = (k: string): number | undefined => times.get(k);
    const numbered = numberStacks(
      [stack(7, ['u']), stack(1, ['d', 'e']), stack(3, ['a', 'b'])].map(({ no: _, ...s }) => s),
      at,
    );
    expect(numbered.map((s) => [s.no, s.frames[0]?.captureKey])).toEqual([
      [1, 'a'],
      [2, 'd'],
      [3, 'u'],
    ]);
  });
});
