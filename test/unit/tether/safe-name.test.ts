import { describe, expect, it } from 'vitest';
import { isFieldBackupError, unsafeSegmentReason } from '../../../src/index.js';
import { safeRelPath } from '../../../src/tether/safe-name.js';

describe('names from a device', () => {
  it('accepts what cameras write', () => {
    for (const name of [
      'IMG_0001.CR3',
      'DSC 0001.ARW',
      '100CANON',
      'Été_01.jpg',
      '写真.JPG',
      '😀.HEIC',
      '..hidden..jpg',
    ]) {
      expect(unsafeSegmentReason(name), name).toBeUndefined();
    }
  });

  it('refuses anything that could leave the folder or break a file system', () => {
    expect(unsafeSegmentReason('')).toBe('is empty');
    expect(unsafeSegmentReason('..')).toMatch(/relative path step/);
    expect(unsafeSegmentReason('.')).toMatch(/relative path step/);
    expect(unsafeSegmentReason('../etc')).toMatch(/separator/);
    expect(unsafeSegmentReason('a/b.jpg')).toMatch(/separator/);
    expect(unsafeSegmentReason('a\\b.jpg')).toMatch(/separator/);
    expect(unsafeSegmentReason('a\u0000.jpg')).toMatch(/NUL/);
    expect(unsafeSegmentReason('a\nb')).toMatch(/control/);
    expect(unsafeSegmentReason('a\ud800b')).toMatch(/Unicode/);
    expect(unsafeSegmentReason('x'.repeat(256))).toMatch(/255 bytes/);
  });

  it('names the object and the raw name in the error', () => {
    try {
      safeRelPath(['DCIM', '../../etc', 'passwd'], 'usb:1-1', 'camera object 0x00000101');
      expect.unreachable();
    } catch (err) {
      expect(isFieldBackupError(err, 'E_UNSAFE_NAME')).toBe(true);
      expect((err as Error).message).toBe(
        'camera object 0x00000101 "DCIM/../../etc/passwd": the folder name "../../etc" contains a path separator; not backed up',
      );
    }
  });
});
