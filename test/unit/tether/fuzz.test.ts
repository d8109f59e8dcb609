import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SimulatedCamera } from '../../../hardware-mocks/ptp-camera/camera.js';
import { PtpResponder } from '../../../hardware-mocks/ptp-camera/responder.js';
import { isFieldBackupError } from '../../../src/core/index.js';
import { ptp } from '../../../src/index.js';

/** Bounded in CI; `FUZZ_RUNS=100000 npx vitest run test/unit/tether/fuzz.test.ts` for a long soak. */
const RUNS = Number(process.env.FUZZ_RUNS ?? 400);

const parsers: Record<string, (b: Buffer) => unknown> = {
  DeviceInfo: ptp.parseDeviceInfo,
  ObjectInfo: ptp.parseObjectInfo,
  StorageInfo: ptp.parseStorageInfo,
  handles: (b) => ptp.parseU32Array(b, 'ObjectHandles'),
  usbHeader: (b) => ptp.parseResponse(b, ptp.parseHeader(b)),
  usbEvent: ptp.parseEventContainer,
  initAck: ptp.parseInitCommandAck,
  response: ptp.parseOperationResponse,
  event: ptp.parseEventPacket,
  startData: ptp.parseStartData,
  canon: ptp.parseCanonEosEvents,
  nikon: ptp.parseNikonEvents,
  nikonEx: ptp.parseNikonEventsEx,
  sony: ptp.sonyObjectInMemory,
  splitter: (b) => {
    const s = new ptp.PacketSplitter();
    for (let at = 0; at < b.byteLength; at += 1 + ((b[at] ?? 0) % 7))
      s.push(b.subarray(at, at + 1 + ((b[at] ?? 0) % 7)));
  },
};

/** Parses, or fails with E_PROTOCOL: anything else (a RangeError, a hang, a crash) fails the test. */
function onlyProtocolErrors(name: string, bytes: Buffer): void {
  try {
    parsers[name]?.(bytes);
  } catch (err) {
    if (!isFieldBackupError(err, 'E_PROTOCOL'))
      throw new Error(`${name} threw ${String(err)} for ${bytes.toString('hex')}`);
  }
}

/** Valid datasets from the simulated camera of each vendor: the seeds that mutations start from. */
async function seeds(): Promise<Buffer[]> {
  const out: Buffer[] = [];
  for (const vendor of ['generic', 'canon', 'nikon', 'sony'] as const) {
    const camera = new SimulatedCamera({ vendor });
    const folder = camera.folder('DCIM', 0);
    const shot = camera.addBytes('IMG_0001.JPG', Buffer.alloc(10, 1), folder);
    camera.announce({ code: 0x4002, params: [shot.handle] });
    const r = new PtpResponder(camera);
    await r.handle(0x1002, [1]);
    const ops: [number, number[]][] = [
      [0x1001, []],
      [0x1004, []],
      [0x1005, [0x00010001]],
      [0x1007, [0xffffffff, 0, 0]],
      [0x1008, [shot.handle]],
      [0x9116, []],
      [0x90c7, []],
      [0x9209, []],
    ];
    for (const [code, params] of ops) {
      const reply = await r.handle(code, params);
      if (reply.data !== undefined) out.push(await reply.data.read(0, reply.data.length));
    }
  }
  return out;
}

describe('fuzz: hostile bytes never crash a parser', () => {
  it.each(Object.keys(parsers))('%s: random bytes', (name) => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) =>
        onlyProtocolErrors(name, Buffer.from(bytes)),
      ),
      { numRuns: RUNS },
    );
  });

  it('mutated real datasets (flipped bytes, cuts, growth) fed to every parser', async () => {
    const valid = await seeds();
    expect(valid.length).toBeGreaterThan(10);
    const mutation = fc.record({
      seed: fc.nat({ max: valid.length - 1 }),
      flips: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }),
      cut: fc.option(fc.nat()),
      extra: fc.uint8Array({ maxLength: 16 }),
    });
    fc.assert(
      fc.property(mutation, ({ seed, flips, cut, extra }) => {
        const bytes = Buffer.from(valid[seed] ?? Buffer.alloc(0));
        for (const [at, value] of flips)
          if (bytes.byteLength > 0) bytes[at % bytes.byteLength] = value;
        const mutated = Buffer.concat([
          cut === null ? bytes : bytes.subarray(0, cut % (bytes.byteLength + 1)),
          Buffer.from(extra),
        ]);
        for (const name of Object.keys(parsers)) onlyProtocolErrors(name, mutated);
      }),
      { numRuns: RUNS * 2 },
    );
  });
});
