import { describe, expect, it } from 'vitest';
import { formatBytes, formatDuration, jsonLine } from '../../../src/cli/io.js';
import { captureIo } from '../../helpers/unit-io.js';

describe('formatBytes', () => {
  it.each([
    [0, '0 B'],
    [999, '999 B'],
    [1000, '1.0 KB'],
    [1540, '1.5 KB'],
    [999_949, '999.9 KB'],
    [25_600_000, '25.6 MB'],
    [64_000_000_000, '64.0 GB'],
    [2_500_000_000_000, '2.5 TB'],
    [5_000_000_000_000_000, '5000.0 TB'],
  ])('%i → %s', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0:00'],
    [5, '0:05'],
    [59.6, '1:00'],
    [61, '1:01'],
    [3599, '59:59'],
    [3600, '1h00m'],
    [3 * 3600 + 7 * 60 + 30, '3h07m'],
    [-5, '0:00'],
  ])('%f s → %s', (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });
});

describe('jsonLine', () => {
  it('writes one JSON object per line', () => {
    const io = captureIo();
    jsonLine(io, { event: 'done', files: 2 });
    jsonLine(io, { event: 'x' });
    expect(io.out().split('\n')).toEqual(['{"event":"done","files":2}', '{"event":"x"}', '']);
  });
});
