import { createHash } from 'node:crypto';
import * as fs from 'node:fs/promises';
import { join } from 'node:path';
import { onTestFinished } from 'vitest';
import { seededBytes } from '../../fixtures/index.js';
import { SimulatedCamera, type CameraOptions } from '../../hardware-mocks/ptp-camera/camera.js';
import { PtpIpCameraServer } from '../../hardware-mocks/ptp-camera/ptpip-server.js';
import { MockUsb, type MockUsbDevice } from '../../hardware-mocks/ptp-camera/usb-camera.js';
import {
  CameraTether,
  IngestSession,
  initiatorGuid,
  initVault,
  LibusbPtpBus,
  PtpIpCameraConnector,
  runTether,
  UsbCameraConnector,
  type CameraTetherOptions,
  type Catalog,
  type FileIndexer,
  type TetherDone,
  type TetherEvent,
  type TetherFeed,
} from '../../src/index.js';
import { openCatalog } from './box.js';
import { photosOf } from './tree.js';
import { tempDir } from './tmp.js';

export interface TetherBox {
  readonly dir: string;
  readonly vaultA: string;
  readonly vaultB: string;
  readonly home: string;
  readonly catalog: Catalog;
  readonly session: IngestSession;
}

export const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

/** The sha256 of every photo on a vault, sorted: compare with the sources' bytes. */
export async function hashesOn(vault: string): Promise<string[]> {
  return [...(await photosOf(vault)).values()].sort();
}

/** Quick retries for tests: the simulated cameras come back within milliseconds. */
const TEST_TIMING: CameraTetherOptions = { retryMs: [20, 200], session: { busyDelayMs: 10 } };

/**
 * Two fresh vaults, a catalog and an open ingest session, closed when the test ends; secured
 * files go to the indexer made by `indexer` (none by default).
 */
export async function tetherBox(
  options: { indexer?: (catalog: Catalog) => FileIndexer } = {},
): Promise<TetherBox> {
  const dir = await tempDir('fb-tether-');
  const vaultA = join(dir, 'ssd-a');
  const vaultB = join(dir, 'ssd-b');
  await initVault(vaultA, { label: 'SSD-A' });
  await initVault(vaultB, { label: 'SSD-B' });
  const home = join(dir, 'home');
  const catalog = await openCatalog(home);
  const indexer = options.indexer?.(catalog);
  const session = await IngestSession.open({
    vaults: [vaultA, vaultB],
    catalog,
    ...(indexer === undefined ? {} : { indexer }),
  });
  onTestFinished(() => session.close());
  return { dir, vaultA, vaultB, home, catalog, session };
}

/** Files with seeded bytes in `dir`; returns name → bytes. */
export async function writeImages(
  dir: string,
  files: Record<string, number>,
  seed = 'tether',
): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  for (const [rel, size] of Object.entries(files)) {
    const bytes = seededBytes(`${seed}/${rel}`, size);
    await fs.mkdir(join(dir, rel, '..'), { recursive: true });
    await fs.writeFile(join(dir, rel), bytes);
    out.set(rel, bytes);
  }
  return out;
}

export interface RunningTether {
  readonly events: TetherEvent[];
  /** Waits (bounded) until `predicate` holds for the events so far. */
  until(
    predicate: (events: readonly TetherEvent[]) => boolean,
    what: string,
    timeoutMs?: number,
  ): Promise<void>;
  shots(): Extract<TetherEvent, { event: 'shot' }>[];
  stop(): Promise<TetherDone>;
}

/** Runs a tether feed into the box's session until stop(). */
export function startTether(feed: TetherFeed, box: TetherBox): RunningTether {
  const events: TetherEvent[] = [];
  const controller = new AbortController();
  const run = runTether(feed, box.session, {
    signal: controller.signal,
    onEvent: (e) => events.push(e),
  });
  let stopped: Promise<TetherDone> | undefined;
  const stop = (): Promise<TetherDone> => {
    controller.abort();
    stopped ??= run;
    return stopped;
  };
  onTestFinished(async () => {
    await stop();
  });
  return {
    events,
    async until(predicate, what, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      while (!predicate(events)) {
        if (Date.now() > deadline)
          throw new Error(
            `timed out waiting for ${what}; events: ${JSON.stringify(events, null, 1).slice(0, 4000)}`,
          );
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    shots: () =>
      events.filter((e): e is Extract<TetherEvent, { event: 'shot' }> => e.event === 'shot'),
    stop,
  };
}

export interface PtpIpCamera {
  readonly camera: SimulatedCamera;
  readonly server: PtpIpCameraServer;
  feed(options?: CameraTetherOptions): CameraTether;
}

/** A simulated camera on a loopback PTP/IP port, serving `images` when given. */
export async function ptpipCamera(
  options: CameraOptions & { images?: string } = {},
): Promise<PtpIpCamera> {
  const camera = new SimulatedCamera(options);
  if (options.images !== undefined) await camera.loadImages(options.images);
  const server = await PtpIpCameraServer.start(camera);
  onTestFinished(() => server.close());
  return {
    camera,
    server,
    feed: (tetherOptions = {}) =>
      new CameraTether(
        new PtpIpCameraConnector({
          host: '127.0.0.1',
          port: server.port,
          guid: initiatorGuid('test'),
          friendlyName: 'FieldBackup test',
          timeoutMs: 3000,
        }),
        { ...TEST_TIMING, ...tetherOptions },
      ),
  };
}

/** Operation codes a backup must never send: they write, delete or change things on the camera. */
export const WRITING_OPERATIONS = [
  0x100b, 0x100c, 0x100d, 0x100e, 0x100f, 0x1010, 0x1011, 0x1012, 0x1013, 0x1016, 0x1017, 0x1018,
  0x1019, 0x101a, 0x101c,
];

export interface UsbCamera {
  readonly camera: SimulatedCamera;
  readonly usb: MockUsb;
  readonly device: MockUsbDevice;
  feed(options?: CameraTetherOptions): CameraTether;
}

/** A simulated camera plugged into a simulated libusb, reached through the real driver. */
export async function usbCamera(
  options: CameraOptions & { images?: string } = {},
): Promise<UsbCamera> {
  const camera = new SimulatedCamera(options);
  if (options.images !== undefined) await camera.loadImages(options.images);
  const usb = new MockUsb();
  const device = usb.plug(camera);
  return {
    camera,
    usb,
    device,
    feed: (tetherOptions = {}) =>
      new CameraTether(new UsbCameraConnector(new LibusbPtpBus(usb), { timeoutMs: 3000 }), {
        ...TEST_TIMING,
        ...tetherOptions,
      }),
  };
}
