import { describe, expect, it } from 'vitest';
import { isFieldBackupError } from '../../../src/core/index.js';
import { ptp } from '../../../src/index.js';

const { PacketSplitter, Packet } = ptp;

function packet(type: number, body: number[] | Buffer): Buffer {
  const b = Buffer.from(body);
  const head = Buffer.alloc(8);
  head.writeUInt32LE(8 + b.byteLength, 0);
  head.writeUInt32LE(type, 4);
  return Buffer.concat([head, b]);
}

describe('PTP over USB containers', () => {
  it('encodes a command: length, type 1, code, transaction id, params', () => {
    const bytes = ptp.encodeCommand({
      code: 0x101b,
      transactionId: 7,
      params: [0x42, 0x100000, 0x80000],
    });
    expect(bytes.toString('hex')).toBe(
      '18000000' + '0100' + '1b10' + '07000000' + '42000000' + '00001000' + '00000800',
    );
  });

  it('refuses headers with an unknown type, a length below 12, or an oversized response', () => {
    const head = (length: number, type: number): Buffer => {
      const b = Buffer.alloc(12);
      b.writeUInt32LE(length, 0);
      b.writeUInt16LE(type, 4);
      return b;
    };
    expect(ptp.parseHeader(head(0xffffffff, 2)).length).toBe(ptp.LENGTH_UNKNOWN);
    expect(() => ptp.parseHeader(head(12, 9))).toThrow(/unknown USB container type 9/);
    expect(() => ptp.parseHeader(head(8, 3))).toThrow(/shorter than its header/);
    expect(() => ptp.parseHeader(head(4096, 3))).toThrow(/response container of 4096 bytes/);
  });

  it('reads event containers: code, transaction id and up to three params', () => {
    const b = Buffer.alloc(16);
    b.writeUInt32LE(16, 0);
    b.writeUInt16LE(4, 4);
    b.writeUInt16LE(0x4002, 6);
    b.writeUInt32LE(0xffffffff, 8);
    b.writeUInt32LE(0x1234, 12);
    expect(ptp.parseEventContainer(b)).toEqual({
      code: 0x4002,
      transactionId: 0xffffffff,
      params: [0x1234],
    });
    b.writeUInt16LE(3, 4);
    expect(() => ptp.parseEventContainer(b)).toThrow(/not an event/);
  });
});

describe('PTP/IP packets', () => {
  it('InitCommandRequest: GUID, NUL-terminated UTF-16 name, version 0x00010000', () => {
    const guid = Buffer.from('00112233445566778899aabbccddeeff', 'hex');
    const bytes = ptp.encodeInitCommandRequest(guid, 'FB');
    expect(bytes.toString('hex')).toBe(
      '22000000' + '01000000' + guid.toString('hex') + '460042000000' + '00000100',
    );
  });

  it('OperationRequest: data phase 1, code, transaction id, params (length 18 + 4n)', () => {
    const bytes = ptp.encodeOperationRequest({ code: 0x1008, transactionId: 3, params: [0x100] });
    expect(bytes.byteLength).toBe(22);
    expect(bytes.toString('hex')).toBe(
      '16000000' + '06000000' + '01000000' + '0810' + '03000000' + '00010000',
    );
  });

  it('splits a byte stream into packets wherever the TCP reads happen to cut it', () => {
    const response = packet(Packet.OperationResponse, [0x01, 0x20, 5, 0, 0, 0]);
    const start = packet(Packet.StartData, [5, 0, 0, 0, 10, 0, 0, 0, 0, 0, 0, 0]);
    const data = packet(Packet.Data, [5, 0, 0, 0, 1, 2, 3, 4, 5, 6]);
    const end = packet(Packet.EndData, [5, 0, 0, 0, 7, 8, 9, 10]);
    const stream = Buffer.concat([start, data, end, response]);
    for (const cut of [1, 3, 7, 8, 11, 13, stream.byteLength]) {
      const splitter = new PacketSplitter();
      const frames = [];
      for (let at = 0; at < stream.byteLength; at += cut)
        frames.push(...splitter.push(stream.subarray(at, at + cut)));
      const payload = Buffer.concat(frames.filter((f) => f.kind === 'data').map((f) => f.bytes));
      expect(payload, `cut every ${cut}`).toEqual(Buffer.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]));
      const packets = frames.filter((f) => f.kind === 'packet').map((f) => f.type);
      expect(packets).toEqual([Packet.StartData, Packet.OperationResponse]);
      expect(frames.filter((f) => f.kind === 'data' && f.last).length).toBe(2);
    }
  });

  it('refuses a control packet claiming megabytes, and a length below the header', () => {
    const huge = Buffer.alloc(8);
    huge.writeUInt32LE(0x7fffffff, 0);
    huge.writeUInt32LE(Packet.OperationResponse, 4);
    expect(() => new PacketSplitter().push(huge)).toThrow(/claims 2147483647 bytes/);
    const short = Buffer.from([4, 0, 0, 0, 7, 0, 0, 0]);
    try {
      new PacketSplitter().push(short);
      expect.unreachable();
    } catch (err) {
      expect(isFieldBackupError(err, 'E_PROTOCOL')).toBe(true);
    }
  });

  it('parses the handshake and transaction packets', () => {
    const ack = Buffer.concat([
      Buffer.from([9, 0, 0, 0]),
      Buffer.alloc(16, 0xab),
      Buffer.from('C\0a\0m\0\0\0', 'latin1'),
      Buffer.from([0, 0, 1, 0]),
    ]);
    expect(ptp.parseInitCommandAck(ack)).toMatchObject({ connectionNumber: 9, name: 'Cam' });
    expect(ptp.parseInitFail(Buffer.from([2, 0, 0, 0]))).toBe(2);
    expect(ptp.parseInitFail(Buffer.alloc(0))).toBe(3);
    expect(ptp.parseStartData(Buffer.from([3, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0]))).toEqual({
      transactionId: 3,
      totalLength: 2 ** 32,
    });
    expect(
      ptp.parseEventPacket(Buffer.from([0x02, 0x40, 0xff, 0xff, 0xff, 0xff, 0x10, 0, 0, 0])),
    ).toEqual({ code: 0x4002, transactionId: 0xffffffff, params: [0x10] });
    expect(() => ptp.parseOperationResponse(Buffer.from([0x01, 0x20, 0, 0, 0, 0, 1, 2]))).toThrow(
      /whole u32/,
    );
    expect(() =>
      ptp.parseEventPacket(
        Buffer.concat([Buffer.from([0x02, 0x40, 0, 0, 0, 0]), Buffer.alloc(16)]),
      ),
    ).toThrow(/4 parameters \(at most 3\)/);
  });
});
