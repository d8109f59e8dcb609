import { execFile } from 'node:child_process';
import * as fs from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it, onTestFinished } from 'vitest';
import { SimulatedCamera } from '../../hardware-mocks/ptp-camera/camera.js';
import { PtpIpCameraServer } from '../../hardware-mocks/ptp-camera/ptpip-server.js';
import { hasCommand, prerequisite } from '../helpers/prereq.js';
import { sha256, writeImages } from '../helpers/tether.js';
import { tempDir } from '../helpers/tmp.js';

const gphoto2 = prerequisite('gphoto2 (Debian package gphoto2)', hasCommand('gphoto2'));
const run = promisify(execFile);

/** Real gphoto2 as a client of the simulator: proves the simulator speaks PTP/IP as cameras do. */
async function camera(): Promise<{
  sim: SimulatedCamera;
  server: PtpIpCameraServer;
  out: string;
  images: Map<string, Buffer>;
  gphoto: (...args: string[]) => Promise<string>;
}> {
  const dir = await tempDir('fb-gphoto2-');
  const images = await writeImages(join(dir, 'card'), {
    'DCIM/100TEST/IMG_0001.JPG': 150_000,
    // Over 1 MiB: gphoto2 fetches it with GetPartialObject in 1 MiB blocks, the last one 123 bytes.
    'DCIM/100TEST/IMG_0002.CR3': 3 * 1024 * 1024 + 123,
    'DCIM/101TEST/IMG_0100.JPG': 1024 * 1024,
  });
  const sim = new SimulatedCamera({ serial: 'GPHOTO-1' });
  await sim.loadImages(join(dir, 'card'));
  const server = await PtpIpCameraServer.start(sim);
  onTestFinished(() => server.close());
  await fs.mkdir(join(dir, 'out'));
  await fs.mkdir(join(dir, 'home'));
  const gphoto = async (...args: string[]): Promise<string> => {
    // Port syntax ptpip:IP:CMD:EVENT, or the event port stays 15740; HOME keeps its settings file out of the way.
    const { stdout } = await run(
      'gphoto2',
      [
        '--port',
        `ptpip:127.0.0.1:${server.port}:${server.port}`,
        '--camera',
        'PTP/IP Camera',
        ...args,
      ],
      {
        cwd: join(dir, 'out'),
        env: { ...process.env, HOME: join(dir, 'home'), LANG: 'C' },
        timeout: 60_000,
      },
    );
    return stdout;
  };
  return { sim, server, out: join(dir, 'out'), images, gphoto };
}

describe.runIf(gphoto2)('the real gphoto2 against the simulated PTP/IP camera', () => {
  it('--summary: the camera, its serial number and its memory card', async () => {
    const { gphoto } = await camera();
    const out = await gphoto('--summary');
    expect(out).toMatch(/Manufacturer: FieldBackup/);
    expect(out).toMatch(/Model: Simulated PTP Camera/);
    expect(out).toMatch(/Serial Number: GPHOTO-1/);
    expect(out).toMatch(/Storage Type: Removable RAM \(memory card\)/);
  });

  it('--list-files shows every file in its folder; --get-all-files downloads them byte for byte; nothing is deleted', async () => {
    const { sim, images, gphoto, out } = await camera();
    const listing = await gphoto('--list-files');
    expect(listing).toMatch(/There are 2 files in folder '\/store_00010001\/DCIM\/100TEST'\./);
    expect(listing).toMatch(/There is 1 file in folder '\/store_00010001\/DCIM\/101TEST'\./);
    const listed = [...listing.matchAll(/^#\d+\s+(\S+)\s/gm)].map((m) => m[1]);
    expect(listed.sort()).toEqual(['IMG_0001.JPG', 'IMG_0002.CR3', 'IMG_0100.JPG']);

    const saved = await gphoto('--get-all-files');
    expect(saved.match(/Saving file as/g)).toHaveLength(3);
    for (const [rel, bytes] of images) {
      const name = rel.split('/').pop() ?? rel;
      const got = await fs.readFile(join(out, name));
      expect(sha256(got), name).toBe(sha256(bytes));
    }
    const partial = sim.requests.filter((r) => r.code === 0x101b);
    expect(partial.map((r) => r.params[1])).toEqual(
      expect.arrayContaining([0, 0x100000, 0x200000, 0x300000]),
    );
    expect(sim.operations).not.toContain(0x100b);
  });

  it('--wait-event-and-download --keep: a shot announced on the event connection is downloaded, and stays on the camera', async () => {
    const { sim, server, gphoto, out } = await camera();
    const shoot = await tempDir();
    const shot = await writeImages(shoot, { 'IMG_0200.CR3': 2_000_000 }, 'tethered');
    const waiting = gphoto('--wait-event-and-download=4s', '--keep');
    const deadline = Date.now() + 3000;
    while (server.handshakes === 0 || !sim.operations.includes(0x1004)) {
      if (Date.now() > deadline) throw new Error('gphoto2 did not open a session');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await sim.capture(join(shoot, 'IMG_0200.CR3'));
    expect(await waiting).toMatch(/Saving file as IMG_0200\.CR3/);
    expect(sha256(await fs.readFile(join(out, 'IMG_0200.CR3')))).toBe(
      sha256(shot.get('IMG_0200.CR3') as Buffer),
    );
    expect(sim.operations).not.toContain(0x100b);
  });
});
