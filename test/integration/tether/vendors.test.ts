import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { seededBytes } from '../../../fixtures/index.js';
import {
  hashesOn,
  ptpipCamera,
  sha256,
  startTether,
  tetherBox,
  writeImages,
  WRITING_OPERATIONS,
} from '../../helpers/tether.js';
import { tempDir } from '../../helpers/tmp.js';

describe('vendor ways of announcing a shot', () => {
  it('Canon EOS: remote and event mode switched on, GetEvent polled, ObjectAddedEx fetched from the card', async () => {
    const shoot = await tempDir();
    const shots = await writeImages(shoot, {
      'IMG_0001.CR3': 2_000_000,
      'IMG_0002.CR3': 2_100_000,
    });
    const box = await tetherBox();
    const cam = await ptpipCamera({ vendor: 'canon' });
    const run = startTether(cam.feed(), box);
    await run.until((e) => e.some((x) => x.event === 'connected'), 'the connection');
    expect(run.events.find((e) => e.event === 'connected')).toMatchObject({
      detail: 'canon-eos',
      camera: 'Canon EOS Simulator',
    });
    await cam.camera.capture(join(shoot, 'IMG_0001.CR3'));
    await cam.camera.capture(join(shoot, 'IMG_0002.CR3'));
    await run.until((e) => e.filter((x) => x.event === 'shot').length === 2, 'both shots');
    await run.stop();
    const ops = cam.camera.operations;
    expect(ops.slice(0, 4)).toEqual([0x1002, 0x1001, 0x9114, 0x9115]);
    expect(ops).toContain(0x9116);
    expect(
      run
        .shots()
        .map((s) => s.file)
        .sort(),
    ).toEqual(['DCIM/100CANON/IMG_0001.CR3', 'DCIM/100CANON/IMG_0002.CR3']);
    expect(await hashesOn(box.vaultA)).toEqual([...shots.values()].map(sha256).sort());
  });

  it('Canon EOS capture to PC: the image in RAM is fetched, and TransferComplete only once it is safe on both vaults', async () => {
    const box = await tetherBox();
    const cam = await ptpipCamera({ vendor: 'canon' });
    const run = startTether(cam.feed(), box);
    await run.until((e) => e.some((x) => x.event === 'connected'), 'the connection');
    const ram = cam.camera.addBytes(
      'IMG_0007.CR3',
      seededBytes('ram', 1_500_000),
      cam.camera.folder('DCIM', 0),
    );
    cam.camera.announce({ code: 0xc186, params: [ram.handle] });
    await run.until(() => cam.camera.operations.includes(0x9117), 'TransferComplete');
    await run.stop();
    const shot = run.shots()[0];
    expect(shot?.file).toBe('DCIM/IMG_0007.CR3');
    const complete = cam.camera.requests.find((r) => r.code === 0x9117);
    expect(complete?.params).toEqual([ram.handle]);
    expect(cam.camera.requests.findIndex((r) => r.code === 0x9117)).toBeGreaterThan(
      cam.camera.requests.findLastIndex((r) => r.code === 0x101b),
    );
  });

  it('Nikon: GetEvent polled; ObjectAdded in the list is fetched', async () => {
    const shoot = await tempDir();
    const shots = await writeImages(shoot, { 'DSC_0001.NEF': 1_800_000 });
    const box = await tetherBox();
    const cam = await ptpipCamera({ vendor: 'nikon' });
    const run = startTether(cam.feed(), box);
    await run.until((e) => e.some((x) => x.event === 'connected'), 'the connection');
    expect(run.events.find((e) => e.event === 'connected')).toMatchObject({ detail: 'nikon' });
    await cam.camera.capture(join(shoot, 'DSC_0001.NEF'));
    await run.until((e) => e.some((x) => x.event === 'shot'), 'the shot');
    await run.stop();
    expect(cam.camera.operations).toContain(0x90c7);
    expect(await hashesOn(box.vaultB)).toEqual([...shots.values()].map(sha256));
  });

  it('Sony: PC-remote handshake, ObjectInMemory polled, each image in memory read once even when the engine reads it twice', async () => {
    const shoot = await tempDir();
    // Two images of the same size: the second is hashed first (an object of that size is held), then written: two reads.
    const shots = await writeImages(shoot, {
      'DSC00001.ARW': 1_234_567,
      'DSC00002.ARW': 1_234_567,
    });
    const box = await tetherBox();
    const cam = await ptpipCamera({ vendor: 'sony' });
    const run = startTether(cam.feed(), box);
    await run.until((e) => e.some((x) => x.event === 'connected'), 'the connection');
    expect(run.events.find((e) => e.event === 'connected')).toMatchObject({
      detail: 'sony',
      camera: 'ILCE-Simulator',
    });
    await cam.camera.capture(join(shoot, 'DSC00001.ARW'));
    await run.until((e) => e.filter((x) => x.event === 'shot').length === 1, 'the first shot');
    await cam.camera.capture(join(shoot, 'DSC00002.ARW'));
    await run.until((e) => e.filter((x) => x.event === 'shot').length === 2, 'the second shot');
    await run.stop();
    const ops = cam.camera.requests.map((r) => r.code);
    expect(ops.slice(0, 6)).toEqual([0x1002, 0x1001, 0x9201, 0x9201, 0x9202, 0x9201]);
    const memoryReads = cam.camera.requests.filter(
      (r) => (r.code === 0x101b || r.code === 0x1009) && r.params[0] === 0xffffc001,
    );
    expect(memoryReads.length).toBe(2);
    expect(run.shots().map((s) => s.file)).toEqual(['DSC00001.ARW', 'DSC00002.ARW']);
    expect(await hashesOn(box.vaultA)).toEqual([...shots.values()].map(sha256).sort());
    expect(cam.camera.memory).toEqual([]);
  });

  it('a camera that announces nothing: new handles are found by listing (the Fuji way), also when forced', async () => {
    const shoot = await tempDir();
    const shots = await writeImages(shoot, { 'DSCF0001.RAF': 900_000 });
    const box = await tetherBox();
    const cam = await ptpipCamera();
    const run = startTether(cam.feed({ eventStyle: 'poll' }), box);
    await run.until((e) => e.some((x) => x.event === 'connected'), 'the connection');
    await run.until(
      () => cam.camera.requests.filter((r) => r.code === 0x1007 && r.params[2] === 0).length >= 1,
      'the first listing',
    );
    cam.camera.off('event', () => undefined);
    await cam.camera.capture(join(shoot, 'DSCF0001.RAF'));
    await run.until((e) => e.some((x) => x.event === 'shot'), 'the shot');
    await run.stop();
    expect(await hashesOn(box.vaultA)).toEqual([...shots.values()].map(sha256));
    expect(cam.camera.operations.filter((op) => WRITING_OPERATIONS.includes(op))).toEqual([]);
  });
});
