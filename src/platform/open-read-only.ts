import { constants } from 'node:fs';
import * as fs from 'node:fs/promises';
import { errnoOf } from './errno.js';

/**
 * Opens a source file read-only, with O_NOATIME where allowed, so that backing it up changes
 * nothing about it, not even its access time (the kernel refuses O_NOATIME for files the
 * process does not own: plain read-only then).
 */
export async function openReadOnly(path: string): Promise<fs.FileHandle> {
  try {
    return await fs.open(path, constants.O_RDONLY | (constants.O_NOATIME ?? 0));
  } catch (err) {
    if (errnoOf(err) !== 'EPERM') throw err;
    return fs.open(path, constants.O_RDONLY);
  }
}
