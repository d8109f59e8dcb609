import { describe, expect, it } from 'vitest';
import { isFieldBackupError, PtpSession, type ptp, type PtpTransport } from '../../../src/index.js';

type Request = ptp.PtpRequest;
type Answer = { data?: Buffer; code?: number; params?: number[] };

/** A transport that answers from a script, per operation code, and logs every request. */
function scripted(
  answers: Record<number, Answer[] | ((r: Request) => Answer)>,
): PtpTransport & { log: Request[] } {
  const log: Request[] = [];
  return {
    kind: 'usb',
    location: 'usb:test',
    log,
    async *transaction(request) {
      await Promise.resolve(); // as a real link would, answer on a later tick
      log.push(request);
      const script = answers[request.code];
      const answer = typeof script === 'function' ? script(request) : (script?.shift() ?? {});
      if (answer.data !== undefined) {
        for (let at = 0; at < answer.data.byteLength; at += 4)
          yield answer.data.subarray(at, at + 4);
      }
      return {
        code: answer.code ?? 0x2001,
        transactionId: request.transactionId,
        params: answer.params ?? [],
      };
    },
    nextEvent: () => Promise.resolve(undefined),
    close: () => Promise.resolve(),
  };
}

function deviceInfo(ops: number[]): Buffer {
  const b = Buffer.alloc(64);
  let at = 2 + 4 + 2;
  b.writeUInt8(0, at++);
  at += 2;
  b.writeUInt32LE(ops.length, at);
  ops.forEach((op, i) => b.writeUInt16LE(op, at + 4 + 2 * i));
  at += 4 + 2 * ops.length;
  return b.subarray(0, at + 16); // four empty arrays
}

const handles = (...hs: number[]): Buffer => {
  const b = Buffer.alloc(4 + 4 * hs.length);
  b.writeUInt32LE(hs.length, 0);
  hs.forEach((h, i) => b.writeUInt32LE(h, 4 + 4 * i));
  return b;
};

describe('PTP session', () => {
  it('opens with transaction 0, numbers the rest from 1, and tries another session id on InvalidTransactionID', async () => {
    const t = scripted({
      0x1002: [{ code: 0x2004 }, { code: 0x201e }],
      0x1001: [{ data: deviceInfo([0x1001]) }],
      0x1004: [{ data: handles(0x10001) }],
    });
    const session = await PtpSession.open(t);
    expect(await session.storageIds()).toEqual([0x10001]);
    expect(t.log.map((r) => [r.code, r.transactionId, r.params])).toEqual([
      [0x1002, 0, [1]],
      [0x1002, 0, [2]],
      [0x1001, 1, []],
      [0x1004, 2, []],
    ]);
  });

  it('refuses to send anything that could change the camera, before it reaches the wire', async () => {
    const t = scripted({ 0x1001: [{ data: deviceInfo([0x1001, 0x100b]) }] });
    const session = await PtpSession.open(t);
    for (const op of [0x100b, 0x100c, 0x100d, 0x100e, 0x1016, 0x1018]) {
      await expect(session.dataset(op, [1])).rejects.toThrow(/is not on the read-only list/);
    }
    expect(t.log.map((r) => r.code)).toEqual([0x1002, 0x1001]);
  });

  it('asks again while the camera answers DeviceBusy, then says busy after the retries', async () => {
    const busy = { code: 0x2019 };
    const t = scripted({
      0x1001: [{ data: deviceInfo([]) }],
      0x1004: [busy, busy, { data: handles(1) }, busy, busy, busy],
    });
    const session = await PtpSession.open(t, { busyRetries: 2, busyDelayMs: 1 });
    expect(await session.storageIds()).toEqual([1]);
    try {
      await session.storageIds();
      expect.unreachable();
    } catch (err) {
      expect(isFieldBackupError(err, 'E_DEVICE_BUSY')).toBe(true);
      expect((err as Error).message).toBe(
        'camera at usb:test answered DeviceBusy (0x2019) to operation 0x1004()',
      );
    }
  });

  it('refuses an OpenSession the camera rejects, naming the answer', async () => {
    await expect(PtpSession.open(scripted({ 0x1002: [{ code: 0x200f }] }))).rejects.toThrow(
      'camera at usb:test refused OpenSession: AccessDenied (0x200f)',
    );
  });

  it('objects: GetObject only from the start; more data than asked for is a protocol error; empty objects need no transfer', async () => {
    const t = scripted({
      0x1001: [{ data: deviceInfo([]) }],
      0x1009: () => ({ data: Buffer.alloc(12, 7) }),
    });
    const session = await PtpSession.open(t);
    const read = async (offset: number, size: number): Promise<number> => {
      let n = 0;
      for await (const c of session.readObject(5, offset, size)) n += c.byteLength;
      return n;
    };
    expect(await read(0, 12)).toBe(12);
    expect(await read(0, 0)).toBe(0);
    await expect(read(4, 12)).rejects.toThrow(/cannot resume an object \(no GetPartialObject\)/);
    await expect(read(0, 8)).rejects.toThrow(/object data longer than the 8 bytes asked for/);
    await expect(read(0, 20)).rejects.toThrow(/sent 12 of 20 bytes/);
    // After each failure the next transaction still runs (the failed one was drained).
    expect(await read(0, 12)).toBe(12);
  });

  it('datasets larger than 16 MiB are refused as hostile', async () => {
    const t = scripted({
      0x1001: [{ data: deviceInfo([]) }],
      0x1007: [{ data: Buffer.allocUnsafe(20 << 20) }],
    });
    const session = await PtpSession.open(t);
    await expect(session.objectHandles(0xffffffff, 0)).rejects.toThrow(
      /returned more than 16777216 bytes/,
    );
  });
});
