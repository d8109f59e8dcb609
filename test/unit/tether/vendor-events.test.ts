import { describe, expect, it } from 'vitest';
import { ptp } from '../../../src/index.js';

const u32 = (v: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(v);
  return b;
};
const u16 = (v: number): Buffer => {
  const b = Buffer.alloc(2);
  b.writeUInt16LE(v);
  return b;
};

describe('Canon EOS GetEvent records', () => {
  it('finds images written to the card and images waiting in RAM; skips other records; stops at the terminator', () => {
    const added = Buffer.concat([
      u32(0x2c),
      u32(0xc181),
      u32(0x9001),
      u32(0x00010001),
      u32(0xb108),
      Buffer.alloc(24),
    ]);
    const prop = Buffer.concat([u32(16), u32(0xc189), u32(0xd101), u32(5)]);
    const ram = Buffer.concat([u32(0x20), u32(0xc186), u32(0x9002), Buffer.alloc(20)]);
    const after = Buffer.concat([u32(16), u32(0xc181), u32(0x9999), u32(0)]);
    const data = Buffer.concat([added, prop, ram, u32(8), u32(0), after]);
    expect(ptp.parseCanonEosEvents(data)).toEqual([
      { kind: 'object-added', handle: 0x9001 },
      { kind: 'transfer-request', handle: 0x9002 },
    ]);
  });

  it('refuses a record that claims more bytes than there are, or fewer than its header', () => {
    expect(() => ptp.parseCanonEosEvents(Buffer.concat([u32(1000), u32(0xc181), u32(1)]))).toThrow(
      /claims 1000 bytes/,
    );
    expect(() => ptp.parseCanonEosEvents(Buffer.concat([u32(4), u32(0xc181)]))).toThrow(
      /claims 4 bytes/,
    );
  });
});

describe('Nikon event lists', () => {
  it('GetEvent: u16 count, then code + u32 param each', () => {
    const data = Buffer.concat([u16(2), u16(0x4002), u32(0x77), u16(0xc101), u32(0xffff0001)]);
    expect(ptp.parseNikonEvents(data).map((e) => ptp.signalOf(e))).toEqual([
      { kind: 'object-added', handle: 0x77 },
      { kind: 'object-added', handle: 0xffff0001 },
    ]);
    expect(() => ptp.parseNikonEvents(Buffer.concat([u16(9), u16(0x4002)]))).toThrow(
      /claims 9 events/,
    );
  });

  it('GetEventEx: count, reserved, then code + n + n params each', () => {
    const data = Buffer.concat([
      u16(2),
      u16(0),
      u16(0x400d),
      u16(0),
      u16(0x4002),
      u16(2),
      u32(0x88),
      u32(5),
    ]);
    expect(ptp.parseNikonEventsEx(data)).toEqual([
      { code: 0x400d, transactionId: 0, params: [] },
      { code: 0x4002, transactionId: 0, params: [0x88, 5] },
    ]);
    expect(() =>
      ptp.parseNikonEventsEx(Buffer.concat([u16(1), u16(0), u16(0x4002), u16(9)])),
    ).toThrow(/9 parameters/);
  });
});

describe('Sony property list (0x9209)', () => {
  const header = Buffer.concat([u32(3), u32(0)]);
  const enumProp = Buffer.concat([
    u16(0x5007),
    u16(0x0004),
    Buffer.from([1, 1]),
    u16(280),
    u16(400),
    Buffer.from([2]),
    u16(2),
    u16(280),
    u16(400),
  ]);
  const secondList = Buffer.concat([u16(1), u16(400)]);
  const stringProp = Buffer.concat([
    u16(0xd20d),
    u16(0xffff),
    Buffer.from([0, 2]),
    Buffer.from([0]),
    Buffer.from([2, 0x41, 0, 0, 0]),
    Buffer.from([0]),
  ]);
  const inMemory = (value: number): Buffer =>
    Buffer.concat([
      u16(0xd215),
      u16(0x0004),
      Buffer.from([0, 1]),
      u16(0),
      u16(value),
      Buffer.from([0]),
    ]);

  it('walks enums (with the 2024 second list) and strings to ObjectInMemory', () => {
    expect(
      ptp.sonyObjectInMemory(
        Buffer.concat([header, enumProp, secondList, stringProp, inMemory(0x8001)]),
      ),
    ).toBe(0x8001);
    expect(ptp.sonyObjectInMemory(Buffer.concat([header, enumProp, stringProp, inMemory(0)]))).toBe(
      0,
    );
  });

  it('says undefined when the camera does not list the property, and refuses unknown data types', () => {
    expect(ptp.sonyObjectInMemory(Buffer.concat([header, stringProp]))).toBeUndefined();
    expect(() =>
      ptp.sonyObjectInMemory(
        Buffer.concat([header, u16(0x5001), u16(0x0077), Buffer.from([0, 0, 1])]),
      ),
    ).toThrow(/unknown data type 0x77/);
  });
});

describe('standard events', () => {
  it('maps ObjectAdded, CaptureComplete and StoreFull; ignores the rest', () => {
    expect(ptp.signalOf({ code: 0x4002, transactionId: 0, params: [5] })).toEqual({
      kind: 'object-added',
      handle: 5,
    });
    expect(ptp.signalOf({ code: 0x4002, transactionId: 0, params: [] })).toBeUndefined();
    expect(ptp.signalOf({ code: 0x400d, transactionId: 0, params: [] })).toEqual({
      kind: 'capture-complete',
    });
    expect(ptp.signalOf({ code: 0x400a, transactionId: 0, params: [0x10001] })).toEqual({
      kind: 'store-full',
    });
    expect(ptp.signalOf({ code: 0x4006, transactionId: 0, params: [0x5001] })).toBeUndefined();
  });
});
