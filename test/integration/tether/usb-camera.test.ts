import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SimulatedCamera } from '../../../hardware-mocks/ptp-camera/camera.js';
import { MockUsb } from '../../../hardware-mocks/ptp-camera/usb-camera.js';
import { seededBytes } from '../../../fixtures/index.js';
import {
  isFieldBackupError,
  LibusbPtpBus,
  ptp,
  PtpSession,
  UsbLinkError,
  UsbPtpTransport,
  type LibusbDevice,
} from '../../../src/index.js';
import { photosOf } from '../../helpers/tree.js';
import {
  sha256,
  startTether,
  tetherBox,
  usbCamera,
  writeImages,
  WRITING_OPERATIONS,
} from '../../helpers/tether.js';
import { tempDir } from '../../helpers/tmp.js';

async function openSession(usb: MockUsb): Promise<PtpSession> {
  const bus = new LibusbPtpBus(usb);
  const [device] = await bus.list();
  if (device === undefined) throw new Error('no camera on the simulated bus');
  return PtpSession.open(new UsbPtpTransport(await bus.open(device), { timeoutMs: 2000 }));
}

describe('libusb PTP driver against a simulated USB camera', () => {
  it('finds still-image interfaces only, opens one, claims it and reads the string descriptors', async () => {
    const usb = new MockUsb();
    usb.plug(new SimulatedCamera({ vendor: 'canon', serial: 'SN-42' }), 3);
    const massStorage: LibusbDevice = {
      busNumber: 1,
      deviceAddress: 9,
      deviceDescriptor: {
        idVendor: 0x0781,
        idProduct: 0x5581,
        iManufacturer: 0,
        iProduct: 0,
        iSerialNumber: 0,
      },
      configDescriptor: {
        interfaces: [
          [
            {
              bInterfaceNumber: 0,
              bAlternateSetting: 0,
              bInterfaceClass: 8,
              bInterfaceSubClass: 6,
              bInterfaceProtocol: 0x50,
              endpoints: [],
            },
          ],
        ],
      },
      open: () => undefined,
      close: () => undefined,
      interface: () => {
        throw new Error('not a camera');
      },
      getStringDescriptor: (_i, cb) => cb(),
    };
    const bus = new LibusbPtpBus({
      getDeviceList: () => [...usb.getDeviceList(), massStorage],
      usb: usb.usb,
    });
    const devices = await bus.list();
    expect(devices).toEqual([
      {
        id: '1-3',
        busNumber: 1,
        deviceAddress: 2,
        vendorId: 0x04a9,
        productId: 0x3270,
        interfaceNumber: 0,
      },
    ]);
    const link = await bus.open(devices[0]!);
    expect([link.manufacturer, link.product, link.serialNumber, link.maxPacketSize]).toEqual([
      'Canon Inc.',
      'Canon EOS Simulator',
      'SN-42',
      512,
    ]);
    const session = await PtpSession.open(new UsbPtpTransport(link));
    expect(session.deviceInfo).toMatchObject({
      vendorExtensionId: 0x0b,
      model: 'Canon EOS Simulator',
      serialNumber: 'SN-42',
    });
    await session.close();
  });

  it('reads objects whose container fills whole packets (zero-length packet after) and the next transaction still lines up', async () => {
    const camera = new SimulatedCamera();
    const usb = new MockUsb();
    usb.plug(camera);
    // 12-byte header + 500 = 512: exactly one packet, so a zero-length packet follows; 1 MiB − 12 fills a whole read.
    const exact = camera.addBytes('EXACT.JPG', seededBytes('exact', 500));
    const whole = camera.addBytes('WHOLE.CR3', seededBytes('whole', (1 << 20) - 12));
    const odd = camera.addBytes('ODD.CR3', seededBytes('odd', 3_000_001));
    const session = await openSession(usb);
    for (const object of [exact, whole, odd, exact]) {
      const parts: Buffer[] = [];
      for await (const chunk of session.readObject(object.handle, 0, object.size))
        parts.push(Buffer.from(chunk));
      expect(sha256(Buffer.concat(parts)), object.name).toBe(sha256(object.bytes as Buffer));
      expect((await session.objectInfo(object.handle)).filename).toBe(object.name);
    }
    // A reader that stops after the first chunk: the rest is drained, the next transaction lines up.
    for await (const chunk of session.readObject(odd.handle, 0, odd.size)) {
      expect(chunk.byteLength).toBeGreaterThan(0);
      break;
    }
    expect((await session.objectInfo(exact.handle)).filename).toBe('EXACT.JPG');
    await session.close();
  });

  it('delivers ObjectAdded from the interrupt pipe, and closing waits for a pending event read', async () => {
    const camera = new SimulatedCamera();
    const usb = new MockUsb();
    usb.plug(camera);
    const session = await openSession(usb);
    expect(await session.transport.nextEvent(50)).toBeUndefined();
    const dir = await tempDir();
    await writeImages(dir, { 'IMG_0009.JPG': 1000 });
    const shot = await camera.capture(join(dir, 'IMG_0009.JPG'));
    expect(await session.transport.nextEvent(1000)).toEqual({
      code: 0x4002,
      transactionId: 0xffffffff,
      params: [shot.handle],
    });
    const pending = session.transport.nextEvent(300);
    await session.close(); // the mock refuses to release an interface with a transfer pending
    expect(await pending).toBeUndefined();
  });

  it('a device that is gone or was never claimed gives a clear error, not a hang', async () => {
    const camera = new SimulatedCamera();
    const usb = new MockUsb();
    const device = usb.plug(camera);
    const bus = new LibusbPtpBus(usb);
    const [info] = await bus.list();
    const link = await bus.open(info!);
    usb.unplug(device);
    await expect(bus.open(info!)).rejects.toMatchObject({ failure: 'gone' });
    const transport = new UsbPtpTransport(link, { timeoutMs: 500 });
    try {
      await transport
        .transaction({ code: ptp.Op.GetDeviceInfo, transactionId: 0, params: [] })
        .next();
      expect.unreachable();
    } catch (err) {
      expect(isFieldBackupError(err, 'E_DEVICE_GONE')).toBe(true);
      expect((err as Error).message).toMatch(/^camera at usb:1-1: sending a command/);
    }
    expect(new UsbLinkError('stall', 'x').failure).toBe('stall');
  });
});

describe('tethered camera over USB', () => {
  it('backs up the card and new shots; the cable pulled mid-object: re-enumerated, resumed, recorded once', async () => {
    const images = await tempDir();
    const card = await writeImages(images, {
      'DCIM/100CANON/IMG_0001.CR3': 6_000_000,
      'DCIM/100CANON/IMG_0001.JPG': 900_000,
    });
    const shoot = await tempDir();
    const later = await writeImages(shoot, { 'IMG_0002.CR3': 2_500_000 }, 'later');
    const box = await tetherBox();
    const cam = await usbCamera({
      images,
      faults: { disconnectAfterBytes: [2_000_000], awayMs: 150 },
    });
    const run = startTether(cam.feed(), box);
    await run.until(
      (e) => e.filter((x) => x.event === 'shot').length === 2,
      'the card after the cut',
    );
    await cam.camera.capture(join(shoot, 'IMG_0002.CR3'));
    await run.until(
      (e) => e.some((x) => x.event === 'shot' && x.file.endsWith('IMG_0002.CR3')),
      'the new shot',
    );
    const done = await run.stop();

    expect(done).toMatchObject({ shots: 3, failed: 0, exitCode: 0 });
    expect(
      run.events.filter((e) => e.event === 'connected').map((e) => 'location' in e && e.location),
    ).toEqual(['usb:1-1', 'usb:1-1']);
    expect(run.events.some((e) => e.event === 'disconnected')).toBe(true);
    const partial = cam.camera.requests.filter((r) => r.code === 0x101b && (r.params[1] ?? 0) > 0);
    expect(partial.length).toBe(1);
    const expected = [...card.values(), ...later.values()].map(sha256).sort();
    for (const vault of [box.vaultA, box.vaultB])
      expect([...(await photosOf(vault)).values()].sort()).toEqual(expected);
    expect(cam.camera.operations.filter((op) => WRITING_OPERATIONS.includes(op))).toEqual([]);
  });

  it('waits for a camera to be plugged in, then backs it up', async () => {
    const box = await tetherBox();
    const camera = new SimulatedCamera({ serial: 'LATE' });
    camera.addBytes('IMG_0001.JPG', seededBytes('late', 10_000), camera.folder('DCIM', 0));
    const usb = new MockUsb();
    const { CameraTether, UsbCameraConnector } = await import('../../../src/index.js');
    const run = startTether(
      new CameraTether(new UsbCameraConnector(new LibusbPtpBus(usb)), { retryMs: [5000, 5000] }),
      box,
    );
    await run.until((e) => e.some((x) => x.event === 'waiting'), 'the waiting notice');
    expect(run.events.find((e) => e.event === 'waiting')).toMatchObject({
      message: 'waiting for a USB camera: no PTP camera on USB: connect one and switch it on',
    });
    usb.plug(camera); // the hotplug event wakes the 5 s back-off at once
    await run.until((e) => e.some((x) => x.event === 'shot'), 'the shot', 3000);
    expect((await run.stop()).exitCode).toBe(0);
  });
});
