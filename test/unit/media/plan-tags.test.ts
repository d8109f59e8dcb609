import { describe, expect, it } from 'vitest';
import { toPlanTags } from '../../../src/media/index.js';

describe('toPlanTags', () => {
  it('maps the header tags a plan needs', () => {
    expect(
      toPlanTags({
        DateTimeOriginal: '2026:03:07 09:05:03',
        OffsetTimeOriginal: '+01:00',
        Make: 'Canon',
        Model: 'Canon EOS R5',
        SerialNumber: '012345678901',
        Rating: 4,
        Label: 'Red',
      }),
    ).toEqual({
      captureTime: { wallClock: new Date(Date.UTC(2026, 2, 7, 9, 5, 3)) },
      make: 'Canon',
      model: 'Canon EOS R5',
      serial: '012345678901',
      rating: 4,
      label: 'Red',
    });
  });

  it('falls back to CreateDate when DateTimeOriginal is missing or invalid', () => {
    const t = toPlanTags({
      DateTimeOriginal: '0000:00:00 00:00:00',
      CreateDate: '2026:01:02 03:04:05',
    });
    expect(t.captureTime?.wallClock).toEqual(new Date(Date.UTC(2026, 0, 2, 3, 4, 5)));
  });

  it('merges Keywords and Subject and removes duplicates', () => {
    expect(
      toPlanTags({ Keywords: ['wedding', 'client'], Subject: ['client', 'pick'] }).keywords,
    ).toEqual(['wedding', 'client', 'pick']);
    expect(toPlanTags({ Keywords: 'solo', Subject: 'solo' }).keywords).toEqual(['solo']);
    expect(toPlanTags({ Keywords: 2026 }).keywords).toEqual(['2026']);
  });

  it('turns a numeric serial into a string', () => {
    expect(toPlanTags({ SerialNumber: 12345678 }).serial).toBe('12345678');
  });

  it('drops blank strings, trims the others, and leaves out absent tags', () => {
    const t = toPlanTags({ Make: '   ', Model: '  NIKON Z 9 ', Label: '', Rating: '5' });
    expect(t).toEqual({ model: 'NIKON Z 9' });
    expect(Object.keys(toPlanTags({}))).toEqual([]);
  });
});
