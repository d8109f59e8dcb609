import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as fs from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { generateShoot } from '../../fixtures/index.js';
import { CardImage } from '../../hardware-mocks/card-image.js';
import { SimulatedBox } from '../../hardware-mocks/simulator/box.js';
import { photosOn } from '../../hardware-mocks/simulator/scenarios.js';
import {
  initVault,
  pngFrame,
  renderFrame,
  sameFrame,
  type BlockDevice,
  type BoxStatus,
} from '../../src/index.js';
import { hasCommand, isRoot, prerequisite } from '../helpers/prereq.js';
import { tempDir } from '../helpers/tmp.js';

const ready = prerequisite(
  'root with losetup, lsblk, mkfs.ext4, mkfs.exfat',
  isRoot() && ['losetup', 'lsblk', 'blkid', 'mkfs.ext4', 'mkfs.exfat'].every(hasCommand),
);

/** The mountinfo line of whatever is mounted from `device`, if anything. */
function mountOf(device: string): { at: string; options: string[] } | undefined {
  const major = execFileSync('lsblk', ['-no', 'MAJ:MIN', device], { encoding: 'utf8' }).trim();
  for (const line of readFileSync('/proc/self/mountinfo', 'utf8').split('\n')) {
    const f = line.split(' ');
    if (f[2] === major) return { at: f[4] ?? '', options: (f[5] ?? '').split(',') };
  }
  return undefined;
}

/** An ext4 SSD image on a loop device holding an empty vault (set up rw, then left unmounted). */
async function ssdImage(dir: string, label: string): Promise<string> {
  const image = join(dir, `${label}.img`);
  await fs.writeFile(image, '');
  await fs.truncate(image, 96 * 1024 * 1024);
  execFileSync('mkfs.ext4', ['-q', '-L', label, image]);
  const loop = execFileSync('losetup', ['-f', '--show', image], { encoding: 'utf8' }).trim();
  onTestFinished(() => {
    // The box unmounts its SSDs when it stops; a failed test may leave one mounted.
    if (mountOf(loop) !== undefined) execFileSync('umount', ['-l', loop]);
    execFileSync('losetup', ['-d', loop]);
  });
  const at = join(dir, `setup-${label}`);
  await fs.mkdir(at);
  execFileSync('mount', [loop, at]);
  await initVault(at, { label });
  execFileSync('umount', [at]);
  return loop;
}

/** Keeps only the loop devices whose image lives in `dir` (lsblk lists every disk here). */
const ours =
  (dir: string) =>
  (d: BlockDevice): boolean => {
    const name = d.device.replace('/dev/', '');
    try {
      return readFileSync(`/sys/block/${name}/loop/backing_file`, 'utf8').startsWith(dir);
    } catch {
      return false;
    }
  };

describe.runIf(ready)('the box with real block devices', () => {
  it('detects an exFAT card, mounts it read-only, backs it up to two ext4 SSDs, says safe to remove, unmounts, and the e-ink shows it', async () => {
    const dir = await tempDir('fb-box-');
    const card = await CardImage.create(dir, { label: 'EOS_DIGITAL', sizeMB: 64 });
    onTestFinished(() => card.eject());
    const populate = join(dir, 'populate');
    card.mount(populate, true);
    await generateShoot(populate, {
      seed: 5,
      captures: 4,
      rawBytes: [300_000, 900_000],
      jpeg: true,
    });
    card.eject(); // out of the reader until the box is up

    await ssdImage(dir, 'SSD-A');
    await ssdImage(dir, 'SSD-B');
    const sim = await SimulatedBox.start({ dir: join(dir, 'box'), realDrives: ours(dir) });
    onTestFinished(() => sim.stop());
    const up = await sim.waitFor(
      'both SSDs mounted',
      (s) => s.vaults.filter((v) => v.present).length === 2,
    );
    const roots = up.vaults.map((v) => v.root ?? '');

    // While the box reads the card: how it is mounted, as the kernel says.
    let cardMount: { at: string; options: string[] } | undefined;
    const seen = sim.box.onStatus((s) => {
      if (s.card.phase === 'copying' && cardMount === undefined) cardMount = mountOf(card.device);
    });
    const device = card.device; // the card goes in: a new loop device appears
    const safe = await sim.waitFor('safe to remove', (s) => s.card.phase === 'safe', 120_000);
    seen();

    expect(cardMount?.options).toEqual(expect.arrayContaining(['ro', 'noexec', 'nosuid', 'nodev']));
    expect(cardMount?.at.startsWith(join(dir, 'box', 'media'))).toBe(true);
    expect(mountOf(device)).toBeUndefined(); // unmounted before "safe to remove"
    expect(safe.card.job?.safeToFormat).toBe(true);
    expect(safe.card.name).toBe('EOS_DIGITAL');
    for (const root of roots) expect(await photosOn(root)).toBe(8);

    // The screen: the last frame the panel shows, decoded from the PNG the simulated
    // controller made of the driver's bytes, is the frame drawn from the box's status.
    const shown = await waitForFrame(sim, sim.status());
    await sim.frames.flushed();
    const png = await fs.readFile(join(dir, 'box', 'frames', 'latest.png'));
    expect(sameFrame(await pngFrame(png), shown)).toBe(true);

    card.eject();
    const idle = await sim.waitFor('idle', (s) => s.card.phase === 'none', 30_000);
    expect(idle.lastCard).toMatchObject({ name: 'EOS_DIGITAL', safeToFormat: true, files: 8 });
    await sim.stop();
    for (const root of roots) expect(mountOfPath(root)).toBe(false);
  }, 240_000);
});

/** Whether something is mounted at `path`. */
function mountOfPath(path: string): boolean {
  return readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .some((l) => l.split(' ')[4] === path);
}

/** Resolves with the expected frame once the panel shows exactly it (bounded). */
async function waitForFrame(
  sim: SimulatedBox,
  status: BoxStatus,
): Promise<Awaited<ReturnType<typeof renderFrame>>> {
  const expected = await renderFrame(status);
  const deadline = Date.now() + 30_000;
  for (;;) {
    const last = sim.epaper.frames.at(-1)?.frame;
    if (last !== undefined && sameFrame(last, expected)) return expected;
    if (Date.now() > deadline) throw new Error('the panel never showed the expected frame');
    await new Promise<void>((resolve) => {
      const stop = sim.epaper.onFrame(() => {
        stop();
        clearTimeout(timer);
        resolve();
      });
      const timer = setTimeout(() => {
        stop();
        resolve();
      }, 2000);
    });
  }
}
