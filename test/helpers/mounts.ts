import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs/promises';
import { onTestFinished } from 'vitest';

/** Mounts a tmpfs of `bytes` at `dir` (root only) and unmounts it when the test ends. */
export async function mountTmpfs(
  dir: string,
  bytes: number,
  options: string[] = [],
): Promise<void> {
  await fs.mkdir(dir, { recursive: true });
  execFileSync('mount', [
    '-t',
    'tmpfs',
    '-o',
    [`size=${bytes}`, ...options].join(','),
    'tmpfs',
    dir,
  ]);
  onTestFinished(() => {
    execFileSync('umount', ['-l', dir]);
  });
}

export function remount(dir: string, options: string): void {
  execFileSync('mount', ['-o', `remount,${options}`, dir]);
}
