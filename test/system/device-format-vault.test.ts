import { execFile, execFileSync } from 'node:child_process';
import * as fs from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it, onTestFinished } from 'vitest';
import { readMarker } from '../../src/index.js';
import { hasCommand, isRoot, prerequisite } from '../helpers/prereq.js';
import { tempDir } from '../helpers/tmp.js';

const exec = promisify(execFile);
const SCRIPT = resolve('device/rootfs/usr/local/sbin/fieldbackup-format-vault');

const ready =
  prerequisite('root', isRoot()) &&
  prerequisite('losetup', hasCommand('losetup')) &&
  prerequisite('mkfs.ext4', hasCommand('mkfs.ext4')) &&
  prerequisite('blkid', hasCommand('blkid'));

/** A 64 MiB drive on a loop device, detached when the test ends. */
async function loopDrive(dir: string, name: string): Promise<string> {
  const image = join(dir, `${name}.img`);
  await fs.writeFile(image, '');
  await fs.truncate(image, 64 * 1024 * 1024);
  const device = execFileSync('losetup', ['-f', '--show', image], { encoding: 'utf8' }).trim();
  onTestFinished(() => {
    execFileSync('losetup', ['-d', device]);
  });
  return device;
}

/** Runs the script with the built CLI as `fieldbackup` on the PATH, as on the box. */
async function formatVault(dir: string, args: string[]) {
  const bin = join(dir, 'bin');
  await fs.mkdir(bin, { recursive: true });
  await fs
    .symlink(resolve('dist/src/cli/main.js'), join(bin, 'fieldbackup'))
    .catch(() => undefined);
  return exec(SCRIPT, args, {
    env: { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}` },
  }).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (err: { code: number; stdout: string; stderr: string }) => ({
      code: err.code,
      stdout: err.stdout,
      stderr: err.stderr,
    }),
  );
}

/** A tag of the device's filesystem; '' when it has none (blkid exits 2). */
function blkid(device: string, tag: string): string {
  try {
    return execFileSync('blkid', ['-p', '-o', 'value', '-s', tag, device], {
      encoding: 'utf8',
    }).trim();
  } catch (err) {
    if ((err as { status?: number }).status === 2) return '';
    throw err;
  }
}

describe.runIf(ready)('fieldbackup-format-vault', () => {
  it('makes an ext4 vault labelled for the mount unit, and prints its id', async () => {
    const dir = await tempDir();
    const drive = await loopDrive(dir, 'ssd');
    const result = await formatVault(dir, ['--yes', 'A', drive]);
    expect(result.code, result.stderr).toBe(0);
    expect(blkid(drive, 'LABEL')).toBe('FBVAULT-A');
    expect(blkid(drive, 'TYPE')).toBe('ext4');
    // The vault is on it: mount it as the mount unit would and read the marker.
    const at = join(dir, 'mnt');
    await fs.mkdir(at);
    execFileSync('mount', ['-o', 'ro,noatime', drive, at]);
    try {
      const marker = await readMarker(at);
      expect(marker.label).toBe('FBVAULT-A');
      expect(result.stdout).toContain(`vault FBVAULT-A formatted (ext4), id ${marker.id}`);
      await fs.access(join(at, 'Photos'));
    } finally {
      execFileSync('umount', [at]);
    }
  });

  it('refuses without a question answered, a mounted drive, a label already in use, and bad usage', async () => {
    const dir = await tempDir();
    const first = await loopDrive(dir, 'first');
    const second = await loopDrive(dir, 'second');

    // Not a terminal and no --yes: nothing is touched.
    const unasked = await formatVault(dir, ['B', second]);
    expect(unasked).toMatchObject({ code: 2 });
    expect(unasked.stderr).toMatch(/add --yes to format/);
    expect(blkid(second, 'TYPE')).toBe('');

    expect((await formatVault(dir, ['--yes', 'A', first])).code).toBe(0);
    // Another drive may not become FBVAULT-A too (/dev/disk/by-label would pick either).
    const twice = await formatVault(dir, ['--yes', 'A', second]);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toContain(`${first} is already labelled FBVAULT-A`);

    // A mounted drive is never formatted.
    const at = join(dir, 'mnt');
    await fs.mkdir(at);
    execFileSync('mount', [first, at]);
    try {
      const mounted = await formatVault(dir, ['--yes', 'B', first]);
      expect(mounted.code).toBe(2);
      expect(mounted.stderr).toContain(`${first} is mounted at ${at}`);
    } finally {
      execFileSync('umount', [at]);
    }
    expect(blkid(first, 'LABEL')).toBe('FBVAULT-A');

    for (const args of [['--yes', 'C', second], ['--yes', 'B', join(dir, 'first.img')], ['B']]) {
      const bad = await formatVault(dir, args);
      expect(bad.code, args.join(' ')).toBe(2);
    }
    expect(blkid(second, 'TYPE')).toBe('');
  });
});
