import { constants } from 'node:fs';
import * as fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { ContentHash } from '../core/index.js';
import { errnoOf } from './errno.js';
import { Xxh128 } from './hash.js';

// The addon's entry point is a bare .node file, which only require() can load.
const directIo = createRequire(import.meta.url)('@ronomon/direct-io') as {
  getAlignedBuffer(size: number, alignment: number): Buffer;
};

const ALIGN = 4096;
const CHUNK = 4 * 1024 * 1024;
// Aligned buffers are kept for the next read-back instead of becoming garbage (one per vault and file in flight).
const MAX_SPARE = 4;
const spare: Buffer[] = [];

export interface MediumHash {
  readonly hash: ContentHash;
  readonly bytes: number;
  /**
   * True when the bytes came from the device (O_DIRECT). False only on filesystems that refuse
   * O_DIRECT (some FUSE); there the kernel may answer from its cache.
   */
  readonly direct: boolean;
}

/**
 * Hashes a file as it is on the medium, not as the page cache remembers it: O_DIRECT with a
 * sector-aligned buffer (@ronomon/direct-io), so a copy that was corrupted on its way to the
 * device is caught.
 */
export async function hashFromMedium(path: string): Promise<MediumHash> {
  let handle: fs.FileHandle;
  let direct = true;
  try {
    handle = await fs.open(path, constants.O_RDONLY | directFlag());
  } catch (err) {
    if (errnoOf(err) !== 'EINVAL') throw err;
    handle = await fs.open(path, constants.O_RDONLY);
    direct = false;
  }
  try {
    const buffer = spare.pop() ?? directIo.getAlignedBuffer(CHUNK, ALIGN);
    const hasher = new Xxh128();
    let bytes = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, CHUNK, bytes);
      if (bytesRead === 0) break;
      hasher.update(buffer.subarray(0, bytesRead));
      bytes += bytesRead;
      if (bytesRead < CHUNK) break;
    }
    if (spare.length < MAX_SPARE) spare.push(buffer);
    return { hash: hasher.digest(), bytes, direct };
  } finally {
    await handle.close();
  }
}

function directFlag(): number {
  return constants.O_DIRECT ?? 0;
}
