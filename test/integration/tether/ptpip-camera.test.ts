import * as fs from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { seededBytes } from '../../../fixtures/index.js';
import { photosOf, snapshotTree } from '../../helpers/tree.js';
import {
  ptpipCamera,
  sha256,
  startTether,
  tetherBox,
  writeImages,
  WRITING_OPERATIONS,
} from '../../helpers/tether.js';
import { tempDir } from '../../helpers/tmp.js';

/** Vault path → sha256 for the files a shot left on one vault. */
async function held(vault: string): Promise<Map<string, string>> {
  return photosOf(vault);
}

function byName(files: Map<string, string>): Map<string, string> {
  return new Map([...files].map(([p, h]) => [p.split('/').pop() ?? p, h]));
}

describe('tethered camera over PTP/IP', () => {
  it('backs up what is on the camera, then every new shot, byte for byte on both vaults, and never writes to the camera', async () => {
    const images = await tempDir();
    const card = await writeImages(images, {
      'DCIM/100TEST/IMG_0001.JPG': 200_000,
      'DCIM/100TEST/IMG_0002.CR3': 3_000_000,
    });
    const shootDir = await tempDir();
    const newShot = await writeImages(shootDir, { 'IMG_0003.CR3': 5_000_000 }, 'new');
    const box = await tetherBox();
    const cam = await ptpipCamera({ images });
    const run = startTether(cam.feed(), box);

    await run.until(
      (e) => e.filter((x) => x.event === 'shot').length === 2,
      'the two files on the card',
    );
    await cam.camera.capture(join(shootDir, 'IMG_0003.CR3'));
    await run.until(
      (e) => e.some((x) => x.event === 'shot' && x.file === 'DCIM/100SIMCAM/IMG_0003.CR3'),
      'the new shot',
    );
    const done = await run.stop();

    expect(done).toMatchObject({ event: 'done', shots: 3, failed: 0, degraded: 0, exitCode: 0 });
    const connected = run.events.find((e) => e.event === 'connected');
    expect(connected).toMatchObject({
      camera: 'Simulated PTP Camera',
      serial: '0123456789',
      detail: 'interrupt',
      files: 2,
    });
    const shots = run.shots();
    expect(shots.map((s) => [s.file, s.atConnect, s.outcome, s.missing])).toEqual(
      expect.arrayContaining([
        ['DCIM/100TEST/IMG_0001.JPG', true, 'copied', []],
        ['DCIM/100TEST/IMG_0002.CR3', true, 'copied', []],
        ['DCIM/100SIMCAM/IMG_0003.CR3', false, 'copied', []],
      ]),
    );
    const fresh = shots.find((s) => !s.atConnect);
    expect(fresh?.latencyMs).toBeGreaterThan(0);
    expect(fresh?.latencyMs).toBeLessThan(5000);
    expect(fresh?.bytes).toBe(5_000_000);
    const expected = new Map([
      ['IMG_0001.JPG', sha256(card.get('DCIM/100TEST/IMG_0001.JPG') as Buffer)],
      ['IMG_0002.CR3', sha256(card.get('DCIM/100TEST/IMG_0002.CR3') as Buffer)],
      ['IMG_0003.CR3', sha256(newShot.get('IMG_0003.CR3') as Buffer)],
    ]);
    for (const vault of [box.vaultA, box.vaultB]) {
      const files = await held(vault);
      expect(byName(files)).toEqual(expected);
      // Under the camera's name and its card's folders.
      expect([...files.keys()].every((p) => p.includes('/Simulated PTP Camera/DCIM/'))).toBe(true);
    }
    expect(cam.camera.operations.filter((op) => WRITING_OPERATIONS.includes(op))).toEqual([]);
    expect(cam.server.handshakes).toBe(1);
  });

  it('copies nothing twice: reconnecting to the same camera reads no object again', async () => {
    const images = await tempDir();
    await writeImages(images, {
      'DCIM/100TEST/IMG_0001.JPG': 300_000,
      'DCIM/100TEST/IMG_0002.JPG': 400_000,
    });
    const box = await tetherBox();
    const cam = await ptpipCamera({ images });
    const first = startTether(cam.feed(), box);
    await first.until((e) => e.filter((x) => x.event === 'shot').length === 2, 'both files');
    await first.stop();
    const before = await snapshotTree(box.vaultA);
    const readsBefore = cam.camera.requests.length;

    const second = startTether(cam.feed(), box);
    await second.until((e) => e.some((x) => x.event === 'connected'), 'the second connection');
    await second.until(
      () => cam.camera.requests.slice(readsBefore).filter((r) => r.code === 0x1008).length >= 2,
      'the listing',
    );
    const done = await second.stop();
    expect(done).toMatchObject({ shots: 0, failed: 0, exitCode: 0 });
    const again = cam.camera.requests.slice(readsBefore).map((r) => r.code);
    expect(again).not.toContain(0x1009);
    expect(again).not.toContain(0x101b);
    const after = await snapshotTree(box.vaultA);
    expect([...after.keys()].filter((p) => !p.includes('ascmhl')).sort()).toEqual(
      [...before.keys()].filter((p) => !p.includes('ascmhl')).sort(),
    );
  });

  it('Wi-Fi lost mid-object: reconnects, resumes with GetPartialObject where it stopped, records the file once', async () => {
    const images = await tempDir();
    const card = await writeImages(images, { 'DCIM/100TEST/IMG_0001.CR3': 8_000_000 });
    const box = await tetherBox();
    const cam = await ptpipCamera({
      images,
      faults: { disconnectAfterBytes: [3_000_000], awayMs: 300 },
    });
    const run = startTether(cam.feed(), box);
    await run.until((e) => e.some((x) => x.event === 'shot'), 'the shot after the reconnect');
    const done = await run.stop();

    expect(done).toMatchObject({ shots: 1, failed: 0, exitCode: 0 });
    expect(cam.server.handshakes).toBe(2);
    expect(run.events.some((e) => e.event === 'disconnected')).toBe(true);
    expect(
      run.events.some(
        (e) =>
          e.event === 'warning' &&
          e.code === 'E_DEVICE_GONE' &&
          /resuming when the camera is back/.test(e.message),
      ),
    ).toBe(true);
    const reads = cam.camera.requests.filter((r) => r.code === 0x101b);
    expect(reads.length).toBe(2);
    const resumedAt = reads[1]?.params[1] ?? 0;
    // The cut falls inside the data packet that crosses 3 MB: resumed there, not from 0.
    expect(resumedAt).toBeGreaterThan(2_800_000);
    expect(resumedAt).toBeLessThan(3_200_000);
    expect((reads[1]?.params[1] ?? 0) + (reads[1]?.params[2] ?? 0)).toBe(8_000_000);
    for (const vault of [box.vaultA, box.vaultB]) {
      expect([...byName(await held(vault)).values()]).toEqual([
        sha256(card.get('DCIM/100TEST/IMG_0001.CR3') as Buffer),
      ]);
      expect(await fs.readdir(join(vault, '.fieldbackup', 'tmp'))).toEqual([]);
    }
  });

  it('without GetPartialObject a lost transfer starts again from the first byte, and still ends complete', async () => {
    const images = await tempDir();
    const card = await writeImages(images, { 'DCIM/100TEST/IMG_0001.CR3': 3_000_000 });
    const box = await tetherBox();
    const cam = await ptpipCamera({
      images,
      partialObject: false,
      faults: { disconnectAfterBytes: [1_000_000], awayMs: 200 },
    });
    const run = startTether(cam.feed(), box);
    await run.until(
      (e) => e.some((x) => x.event === 'shot'),
      'the shot on the second attempt',
      30_000,
    );
    const done = await run.stop();
    expect(done).toMatchObject({ shots: 1, failed: 0, exitCode: 0 });
    expect(cam.camera.requests.filter((r) => r.code === 0x1009).length).toBe(2);
    expect(
      run.events.some((e) => e.event === 'error' && /cannot resume an object/.test(e.message)),
    ).toBe(true);
    expect([...byName(await held(box.vaultB)).values()]).toEqual([
      sha256(card.get('DCIM/100TEST/IMG_0001.CR3') as Buffer),
    ]);
  });

  it('a busy camera is asked again (DeviceBusy), not given up on', async () => {
    const images = await tempDir();
    await writeImages(images, { 'DCIM/100TEST/IMG_0001.JPG': 100_000 });
    const box = await tetherBox();
    const cam = await ptpipCamera({ images, faults: { busyResponses: 3 } });
    const run = startTether(cam.feed(), box);
    await run.until((e) => e.some((x) => x.event === 'shot'), 'the shot');
    expect((await run.stop()).exitCode).toBe(0);
    expect(cam.camera.requests.filter((r) => r.code === 0x101b).length).toBe(4);
  });

  it.each([
    ['huge-length', 0x101b, 'GetPartialObject'],
    ['short-length', 0x101b, 'GetPartialObject'],
    ['bad-type', 0x1008, 'GetObjectInfo'],
    ['wrong-tid', 0x1007, 'GetObjectHandles'],
    ['too-much-data', 0x101b, 'GetPartialObject'],
    ['bad-dataset', 0x1008, 'GetObjectInfo'],
  ] as const)(
    'malformed reply (%s to %i %s): a clear protocol error, a fresh link, and the shot still backed up',
    async (kind, op, _name) => {
      const images = await tempDir();
      const card = await writeImages(images, { 'DCIM/100TEST/IMG_0001.JPG': 700_000 });
      const box = await tetherBox();
      const cam = await ptpipCamera({ images, faults: { malformed: [{ op, kind }] } });
      const run = startTether(cam.feed(), box);
      await run.until((e) => e.some((x) => x.event === 'shot'), 'the shot', 30_000);
      expect((await run.stop()).exitCode).toBe(0);
      const problem = run.events.find(
        (e) => (e.event === 'warning' || e.event === 'error') && e.code === 'E_PROTOCOL',
      );
      expect(problem, JSON.stringify(run.events)).toBeDefined();
      expect(problem && 'message' in problem ? problem.message : '').toMatch(
        /camera at ptpip:127\.0\.0\.1:\d+: camera sent malformed data/,
      );
      expect(cam.server.handshakes).toBe(2);
      expect([...byName(await held(box.vaultA)).values()]).toEqual([
        sha256(card.get('DCIM/100TEST/IMG_0001.JPG') as Buffer),
      ]);
    },
  );

  it('hostile object names are refused with an error naming them; nothing lands outside the vault; the rest is backed up', async () => {
    const box = await tetherBox();
    const cam = await ptpipCamera();
    const dcim = cam.camera.folder('DCIM', 0);
    const dotdot = cam.camera.folder('..', dcim);
    const good = seededBytes('good', 50_000);
    cam.camera.addBytes('../../../evil.jpg', seededBytes('e1', 1000), dcim);
    cam.camera.addBytes('sub/evil2.jpg', seededBytes('e2', 1000), dcim);
    cam.camera.addBytes('evil3\u0000.jpg', seededBytes('e3', 1000), dcim);
    cam.camera.addBytes('evil4.jpg', seededBytes('e4', 1000), dotdot);
    cam.camera.addBytes('IMG_0001.JPG', good, dcim);
    const outside = await snapshotTree(box.dir);
    const run = startTether(cam.feed(), box);
    await run.until((e) => e.some((x) => x.event === 'shot'), 'the good file');
    await run.stop();
    const refused = run.events.filter((e) => e.event === 'error' && e.code === 'E_UNSAFE_NAME');
    const messages = refused.map((e) => ('message' in e ? e.message : ''));
    expect(messages).toHaveLength(4);
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^camera object 0x[0-9a-f]{8} "DCIM\/..\/..\/..\/evil.jpg": the name "..\/..\/..\/evil.jpg" contains a path separator; not backed up$/,
        ),
        expect.stringContaining('the name "sub/evil2.jpg" contains a path separator'),
        expect.stringContaining('the name "evil3\\u0000.jpg" contains NUL'),
        expect.stringContaining(
          '"DCIM/../evil4.jpg": the folder name ".." is a relative path step',
        ),
      ]),
    );
    expect(run.shots().map((s) => s.file)).toEqual(['DCIM/IMG_0001.JPG']);
    const now = await snapshotTree(box.dir);
    const added = [...now.keys()].filter((p) => !outside.has(p));
    expect(
      added.every((p) => p.startsWith('ssd-a/') || p.startsWith('ssd-b/') || p.startsWith('home/')),
    ).toBe(true);
    expect(added.filter((p) => /evil/.test(p))).toEqual([]);
  });
});

describe('a camera as a plain source', () => {
  it('ingest() backs up a whole camera like a card (identify, entries, reads abandoned mid-object by the fingerprint)', async () => {
    const images = await tempDir();
    const card = await writeImages(images, {
      'DCIM/100TEST/A.JPG': 300_000,
      'DCIM/100TEST/B.CR3': 2_000_000,
      'DCIM/100TEST/C.CR3': 2_500_000,
    });
    const box = await tetherBox();
    const cam = await ptpipCamera({ images });
    const feed = cam.feed();
    const done = await box.session.ingest(feed);
    await feed.close();
    expect(done).toMatchObject({ files: 3, copied: 3, failed: 0, exitCode: 0 });
    expect([...(await photosOf(box.vaultA)).values()].sort()).toEqual(
      [...card.values()].map(sha256).sort(),
    );
  });

  it('a full card on the camera is reported, and watching goes on', async () => {
    const box = await tetherBox();
    const cam = await ptpipCamera();
    const run = startTether(cam.feed(), box);
    await run.until((e) => e.some((x) => x.event === 'connected'), 'the connection');
    cam.camera.announce({ code: 0x400a, params: [0x00010001] });
    cam.camera.announce({ code: 0x400d, params: [0] });
    const later = cam.camera.addBytes(
      'LATE.JPG',
      seededBytes('late', 5000),
      cam.camera.folder('DCIM', 0),
    );
    cam.camera.announce({ code: 0x4002, params: [later.handle] });
    await run.until((e) => e.some((x) => x.event === 'shot'), 'the shot after the warning');
    await run.stop();
    expect(run.events.find((e) => e.event === 'warning')).toMatchObject({
      code: 'E_NO_SPACE',
      message: 'the card in Simulated PTP Camera is full',
    });
  });
});
