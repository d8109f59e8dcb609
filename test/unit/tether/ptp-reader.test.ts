import { describe, expect, it } from 'vitest';
import { isFieldBackupError } from '../../../src/core/index.js';
import { DataReader, DataWriter } from '../../../src/tether/ptp/index.js';

function protocolFailure(fn: () => unknown): { message: string; field?: string } {
  try {
    fn();
  } catch (err) {
    if (isFieldBackupError(err, 'E_PROTOCOL'))
      return {
        message: err.message,
        ...(err.subject.field === undefined ? {} : { field: err.subject.field }),
      };
    throw err;
  }
  throw new Error('expected E_PROTOCOL');
}

describe('PTP data reader', () => {
  it('reads strings as PTP counts them: NumChars includes the NUL ("A" = 02 41 00 00 00), empty is one 0 byte', () => {
    const r = new DataReader(
      Buffer.from([0x02, 0x41, 0x00, 0x00, 0x00, 0x00, 0x03, 0xe9, 0x00, 0x4e, 0x00, 0x00, 0x00]),
      'test',
    );
    expect(r.string('a')).toBe('A');
    expect(r.string('empty')).toBe('');
    expect(r.string('unicode')).toBe('éN');
    expect(r.remaining).toBe(0);
  });

  it('refuses a string whose count runs past the end, naming the field', () => {
    const f = protocolFailure(() =>
      new DataReader(Buffer.from([200, 0x41, 0x00]), 'ObjectInfo').string('Filename'),
    );
    expect(f.field).toBe('Filename');
    expect(f.message).toMatch(/ObjectInfo ends inside Filename/);
  });

  it('refuses a string without its terminating NUL', () => {
    expect(
      protocolFailure(() => new DataReader(Buffer.from([0x01, 0x41, 0x00]), 'x').string('Model'))
        .message,
    ).toMatch(/not NUL-terminated/);
  });

  it('refuses an array count larger than the bytes that follow, before allocating anything', () => {
    const huge = Buffer.from([0xff, 0xff, 0xff, 0x7f, 1, 0]);
    const f = protocolFailure(() =>
      new DataReader(huge, 'DeviceInfo').u16Array('OperationsSupported'),
    );
    expect(f.message).toMatch(/claims 2147483647 elements but only 2 bytes follow/);
    expect(f.field).toBe('OperationsSupported');
  });

  it('reads u64 sizes exactly and refuses values a Number cannot hold', () => {
    const w = new DataWriter().u64(2 ** 40 + 7).toBuffer();
    expect(new DataReader(w, 'x').u64('MaxCapacity')).toBe(2 ** 40 + 7);
    const tooBig = Buffer.alloc(8, 0xff);
    expect(protocolFailure(() => new DataReader(tooBig, 'x').u64('FreeSpace')).message).toMatch(
      /too large/,
    );
  });

  it('reads NUL-terminated UTF-16 names (PTP/IP) and bounds their length', () => {
    const name = new DataWriter().nulTerminatedUtf16('Café R5').toBuffer();
    expect(new DataReader(name, 'x').nulTerminatedUtf16('FriendlyName')).toBe('Café R5');
    const endless = Buffer.alloc(1000, 0x41);
    expect(
      protocolFailure(() => new DataReader(endless, 'x').nulTerminatedUtf16('FriendlyName'))
        .message,
    ).toMatch(/longer than 256|ends inside/);
  });
});
