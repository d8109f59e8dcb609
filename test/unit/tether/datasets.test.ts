import { describe, expect, it } from 'vitest';
import { isFieldBackupError } from '../../../src/core/index.js';
import {
  parseDeviceInfo,
  parseObjectInfo,
  parsePtpDate,
  parseStorageInfo,
  parseU32Array,
} from '../../../src/tether/ptp/index.js';

/** A PTP string at `at`; returns the offset after it. */
function putString(buf: Buffer, at: number, s: string): number {
  if (s === '') return buf.writeUInt8(0, at);
  buf.writeUInt8(s.length + 1, at);
  for (let i = 0; i < s.length; i++) buf.writeUInt16LE(s.charCodeAt(i), at + 1 + 2 * i);
  buf.writeUInt16LE(0, at + 1 + 2 * s.length);
  return at + 1 + 2 * (s.length + 1);
}

function putU16Array(buf: Buffer, at: number, values: number[]): number {
  buf.writeUInt32LE(values.length, at);
  values.forEach((v, i) => buf.writeUInt16LE(v, at + 4 + 2 * i));
  return at + 4 + 2 * values.length;
}

describe('PTP datasets at the offsets of ISO 15740', () => {
  it('ObjectInfo: size at 8, parent at 38, association type at 42, file name at 52, then the dates', () => {
    const buf = Buffer.alloc(200);
    buf.writeUInt32LE(0x00020001, 0); // StorageID
    buf.writeUInt16LE(0xb108, 4); // CR3
    buf.writeUInt16LE(1, 6); // protected
    buf.writeUInt32LE(45_123_456, 8);
    buf.writeUInt32LE(0x0000ffff, 18); // ThumbPixWidth: must be skipped, not read as the parent
    buf.writeUInt32LE(0x1234, 38);
    buf.writeUInt16LE(0, 42);
    let at = putString(buf, 52, 'IMG_0001.CR3');
    at = putString(buf, at, '20240501T101500');
    at = putString(buf, at, '20240501T101501.0');
    at = putString(buf, at, '');
    const info = parseObjectInfo(buf.subarray(0, at));
    expect(info).toEqual({
      storageId: 0x00020001,
      format: 0xb108,
      protectionStatus: 1,
      compressedSize: 45_123_456,
      parent: 0x1234,
      associationType: 0,
      filename: 'IMG_0001.CR3',
      captureDate: '20240501T101500',
      modificationDate: '20240501T101501.0',
    });
  });

  it('ObjectInfo without the trailing dates (some devices stop after the name) reads with empty dates', () => {
    const buf = Buffer.alloc(80);
    const at = putString(buf, 52, 'A.JPG');
    expect(parseObjectInfo(buf.subarray(0, at))).toMatchObject({
      filename: 'A.JPG',
      captureDate: '',
      modificationDate: '',
    });
  });

  it('ObjectInfo cut before the file name is a protocol error naming the field', () => {
    try {
      parseObjectInfo(Buffer.alloc(40));
      expect.unreachable();
    } catch (err) {
      expect(isFieldBackupError(err, 'E_PROTOCOL') && err.subject.field).toBe('ParentObject');
    }
  });

  it('DeviceInfo: vendor, operations and events as sets; Manufacturer … SerialNumber optional', () => {
    const buf = Buffer.alloc(400);
    buf.writeUInt16LE(100, 0);
    buf.writeUInt32LE(0x0b, 2);
    buf.writeUInt16LE(100, 6);
    let at = putString(buf, 8, 'canon.com: 1.0');
    buf.writeUInt16LE(0, at);
    at = putU16Array(buf, at + 2, [0x1001, 0x1002, 0x9116]);
    at = putU16Array(buf, at, [0x4002]);
    at = putU16Array(buf, at, []);
    at = putU16Array(buf, at, [0x3801]);
    at = putU16Array(buf, at, [0x3801, 0xb108]);
    const minimal = parseDeviceInfo(buf.subarray(0, at));
    expect(minimal).toMatchObject({
      vendorExtensionId: 0x0b,
      vendorExtensionDesc: 'canon.com: 1.0',
      manufacturer: '',
      serialNumber: '',
    });
    expect([...minimal.operations]).toEqual([0x1001, 0x1002, 0x9116]);
    expect(minimal.events.has(0x4002)).toBe(true);
    at = putString(buf, at, 'Canon Inc.');
    at = putString(buf, at, 'Canon EOS R5');
    at = putString(buf, at, '1-1.3.0');
    at = putString(buf, at, '123456789012');
    expect(parseDeviceInfo(buf.subarray(0, at))).toMatchObject({
      manufacturer: 'Canon Inc.',
      model: 'Canon EOS R5',
      serialNumber: '123456789012',
    });
  });

  it('StorageInfo: 64-bit capacity and free space, description and optional volume label', () => {
    const buf = Buffer.alloc(100);
    buf.writeUInt16LE(4, 0);
    buf.writeUInt16LE(3, 2);
    buf.writeUInt16LE(0, 4);
    buf.writeBigUInt64LE(128n * 1024n ** 3n, 6);
    buf.writeBigUInt64LE(5n * 1024n ** 3n, 14);
    buf.writeUInt32LE(0xffffffff, 22);
    const at = putString(buf, 26, 'SD1');
    expect(parseStorageInfo(buf.subarray(0, at))).toEqual({
      storageType: 4,
      filesystemType: 3,
      accessCapability: 0,
      maxCapacity: 128 * 1024 ** 3,
      freeSpaceInBytes: 5 * 1024 ** 3,
      freeSpaceInImages: 0xffffffff,
      description: 'SD1',
      volumeLabel: '',
    });
  });

  it('handle lists refuse trailing bytes', () => {
    expect(parseU32Array(Buffer.from([1, 0, 0, 0, 7, 0, 0, 0]), 'ObjectHandles')).toEqual([7]);
    expect(() => parseU32Array(Buffer.from([1, 0, 0, 0, 7, 0, 0, 0, 9]), 'ObjectHandles')).toThrow(
      /1 bytes after its array/,
    );
  });

  it('DateTime strings: the camera wall clock, tenths and zones ignored, impossible dates refused', () => {
    expect(parsePtpDate('20240501T101500')?.toISOString()).toBe('2024-05-01T10:15:00.000Z');
    expect(parsePtpDate('20240501T101500.3+0200')?.toISOString()).toBe('2024-05-01T10:15:00.000Z');
    for (const bad of [
      '',
      '2024',
      '20240231T101500',
      '20241301T000000',
      '20240501T246000',
      '19700101T000000',
      'abcdefghijklmno',
    ]) {
      expect(parsePtpDate(bad), bad).toBeUndefined();
    }
  });
});
