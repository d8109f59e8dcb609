import * as fs from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { seededBytes } from '../../../fixtures/index.js';
import { HotFolder, isFieldBackupError } from '../../../src/index.js';
import { photosOf, snapshotTree } from '../../helpers/tree.js';
import { sha256, startTether, tetherBox, writeImages } from '../../helpers/tether.js';
import { tempDir } from '../../helpers/tmp.js';

const fast = { stableMs: 200, pollMs: 300 };

describe('hot folder', () => {
  it('backs up what is there and each new file once it is complete; skips temporaries and session caches; never touches the folder', async () => {
    const folder = join(await tempDir(), 'Capture');
    const before = await writeImages(folder, {
      'Session/IMG_0001.CR3': 400_000,
      'Session/IMG_0001.JPG': 90_000,
    });
    await writeImages(
      folder,
      {
        'CaptureOne/Cache/Proxies/IMG_0001.cop': 5000,
        '.DS_Store': 10,
        'IMG_0009.CR3.tmp': 100,
        'Session/x.part': 10,
      },
      'junk',
    );
    const box = await tetherBox();
    const run = startTether(new HotFolder(folder, fast), box);
    await run.until(
      (e) => e.filter((x) => x.event === 'shot').length === 2,
      'the two files already there',
    );
    const snapshot = await snapshotTree(folder);
    // Tethering software writes under a temporary name and renames: the file appears complete at once.
    const next = seededBytes('next', 1_500_000);
    await fs.writeFile(join(folder, 'Session', 'IMG_0002.CR3.tmp'), next);
    await fs.rename(
      join(folder, 'Session', 'IMG_0002.CR3.tmp'),
      join(folder, 'Session', 'IMG_0002.CR3'),
    );
    await run.until(
      (e) => e.some((x) => x.event === 'shot' && x.file === 'Session/IMG_0002.CR3'),
      'the renamed file',
    );
    const done = await run.stop();

    expect(done).toMatchObject({ shots: 3, failed: 0, exitCode: 0 });
    expect(run.events.find((e) => e.event === 'connected')).toMatchObject({
      camera: 'Capture',
      detail: 'change events + polling',
      files: 0,
    });
    expect(
      run
        .shots()
        .map((s) => s.file)
        .sort(),
    ).toEqual(['Session/IMG_0001.CR3', 'Session/IMG_0001.JPG', 'Session/IMG_0002.CR3']);
    const expected = [...before.values(), next].map(sha256).sort();
    for (const vault of [box.vaultA, box.vaultB])
      expect([...(await photosOf(vault)).values()].sort()).toEqual(expected);
    const after = await snapshotTree(folder);
    // Every file is as it was, bytes, size, mtime and mode (folders change: the test wrote into them).
    for (const [path, entry] of snapshot)
      if (!path.endsWith('/')) expect(after.get(path), path).toEqual(entry);
  });

  it('a file written slowly is recorded once, complete, never while it grows', async () => {
    const folder = await tempDir();
    const box = await tetherBox();
    const run = startTether(new HotFolder(folder, { stableMs: 400, pollMs: 300 }), box);
    await run.until((e) => e.some((x) => x.event === 'connected'), 'watching');
    const bytes = seededBytes('slow', 1_000_000);
    const handle = await fs.open(join(folder, 'IMG_0100.CR3'), 'w');
    for (let i = 0; i < 10; i++) {
      await handle.write(bytes.subarray(i * 100_000, (i + 1) * 100_000));
      await handle.sync();
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(run.shots()).toEqual([]);
    }
    await handle.close();
    await run.until((e) => e.some((x) => x.event === 'shot'), 'the complete file');
    await run.stop();
    expect(run.shots().map((s) => [s.file, s.bytes])).toEqual([['IMG_0100.CR3', 1_000_000]]);
    expect([...(await photosOf(box.vaultA)).values()]).toEqual([sha256(bytes)]);
  });

  it('a file that grows while it is read is reported as changed, not recorded', async () => {
    const folder = await tempDir();
    await writeImages(folder, { 'IMG_0001.CR3': 5_000_000 });
    const feed = new HotFolder(folder, fast);
    const entries = [];
    for await (const e of feed.entries(() => undefined)) entries.push(e);
    const reading = feed.read(entries[0]!)[Symbol.asyncIterator]();
    await reading.next();
    await fs.appendFile(join(folder, 'IMG_0001.CR3'), 'more');
    try {
      while (!(await reading.next()).done);
      expect.unreachable();
    } catch (err) {
      expect(isFieldBackupError(err, 'E_SOURCE_CHANGED')).toBe(true);
      expect((err as Error).message).toMatch(/IMG_0001.CR3 was still being written/);
    }
  });

  it('a folder that goes away (a share unmounted) is waited for, and watched again when it is back', async () => {
    const parent = await tempDir();
    const folder = join(parent, 'Shoot');
    await fs.mkdir(folder);
    const box = await tetherBox();
    const run = startTether(new HotFolder(folder, fast), box);
    await run.until((e) => e.some((x) => x.event === 'connected'), 'watching');
    await fs.rename(folder, join(parent, 'away'));
    await run.until((e) => e.some((x) => x.event === 'disconnected'), 'the loss');
    await writeImages(join(parent, 'away'), { 'IMG_0001.JPG': 50_000 });
    await fs.rename(join(parent, 'away'), folder);
    await run.until((e) => e.some((x) => x.event === 'shot'), 'the file after the return');
    await run.stop();
    expect(run.events.filter((e) => e.event === 'connected')).toHaveLength(2);
    const lost = run.events.find((e) => e.event === 'disconnected');
    expect(lost && 'message' in lost ? lost.message : '').toMatch(/hot folder .*Shoot is gone/);
  });

  it('a symbolic link is reported once and not followed; an edited file is backed up again as a new version', async () => {
    const folder = await tempDir();
    const outside = await tempDir();
    await writeImages(outside, { 'secret.jpg': 1000 });
    await fs.symlink(join(outside, 'secret.jpg'), join(folder, 'link.jpg'));
    const first = await writeImages(folder, { 'IMG_0001.JPG': 20_000 }, 'v1');
    const box = await tetherBox();
    const run = startTether(new HotFolder(folder, fast), box);
    await run.until((e) => e.filter((x) => x.event === 'shot').length === 1, 'the first version');
    const second = await writeImages(folder, { 'IMG_0001.JPG': 21_000 }, 'v2');
    await run.until((e) => e.filter((x) => x.event === 'shot').length === 2, 'the edited version');
    await run.stop();
    const warnings = run.events.filter((e) => e.event === 'warning' && e.path === 'link.jpg');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ message: 'symbolic link in the hot folder; not followed' });
    const held = await photosOf(box.vaultA);
    expect([...held.values()].sort()).toEqual(
      [sha256(first.get('IMG_0001.JPG')!), sha256(second.get('IMG_0001.JPG')!)].sort(),
    );
    expect([...held.keys()].map((p) => p.split('/').pop()).sort()).toEqual([
      'IMG_0001.JPG',
      'IMG_0001_2.JPG',
    ]);
  });
});
