import { describe, expect, it } from 'vitest';
import { evOf, parseHints, pickOf, type Frame } from '../../../src/media/similarity/index.js';

describe('camera hints for grouping', () => {
  it('reads bracketing, burst drive, exposure steps and sequence numbers from maker notes', () => {
    const canon = parseHints({
      DateTimeOriginal: '2026:06:01 07:12:03',
      SubSecTimeOriginal: '45',
      ContinuousDrive: 'Continuous, High',
      AEBBracketValue: '+2/3',
      ExposureTime: '1/500',
      FNumber: 5.6,
      ISO: 400,
      SequenceNumber: 3,
      Rating: 4,
    });
    expect(canon).toMatchObject({ burst: true, bracket: true, sequence: 3, rating: 4 });
    expect(canon.captureTime).toBe(Date.UTC(2026, 5, 1, 7, 12, 3, 450));
    // EV100 = log2(5.6² × 500) − log2(4)
    expect(canon.exposureValue).toBeCloseTo(Math.log2(5.6 * 5.6 * 500) - 2, 6);

    const nikon = parseHints({
      ShootingMode: 'Single-Frame',
      AutoBracketing: 'Off',
      ExposureCompensation: '-1',
    });
    expect(nikon).toEqual({ exposureBias: -1 });
    expect(parseHints({ ExposureMode: 'Auto bracket' }).bracket).toBe(true);
    expect(parseHints({ BurstUUID: 'A1B2' }).burstId).toBe('A1B2');
  });

  it('ignores what it cannot read: pixels alone decide then', () => {
    expect(parseHints({})).toEqual({});
    expect(
      parseHints({ Rating: 9, ExposureTime: 'bulb', DateTimeOriginal: '0000:00:00 00:00:00' }),
    ).toEqual({});
  });

  it('parses exposure steps as cameras print them', () => {
    expect(evOf('+1/3')).toBeCloseTo(1 / 3);
    expect(evOf('-1 2/3')).toBeCloseTo(-5 / 3);
    expect(evOf('0.7')).toBeCloseTo(0.7);
    expect(evOf(2)).toBe(2);
    expect(evOf('n/a')).toBeUndefined();
    expect(evOf(Number.NaN)).toBeUndefined();
  });

  it('picks the highest rating, else the sharpest, else the first', () => {
    const frame = (rating: number | undefined, focus: number): Frame =>
      ({
        hints: rating === undefined ? {} : { rating },
        features: { focus },
      }) as Frame;
    expect(pickOf([0, 1, 2], [frame(1, 9), frame(3, 1), frame(2, 5)])).toBe(1);
    expect(pickOf([0, 1, 2], [frame(undefined, 1), frame(undefined, 7), frame(undefined, 3)])).toBe(
      1,
    );
    expect(pickOf([0, 1], [frame(undefined, 2), frame(undefined, 2)])).toBe(0);
  });
});
