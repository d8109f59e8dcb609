import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { errnoOf, hashBytes, hashFromMedium } from '../../../src/platform/index.js';
import { tempDir } from '../../helpers/tmp.js';

describe('hashFromMedium', () => {
  it.each([0, 1, 4095, 4096, 4097, 8 * 1024 * 1024, 8 * 1024 * 1024 + 3])(
    'hashes a file of %i bytes like hashBytes of its content, directly from the device',
    async (size) => {
      const dir = await tempDir();
      const path = join(dir, 'f.bin');
      const data = randomBytes(size);
      await fs.writeFile(path, data);
      const result = await hashFromMedium(path);
      expect(result.hash).toBe(hashBytes(data));
      expect(result.bytes).toBe(size);
      expect(result.direct).toBe(true);
    },
  );

  it('sees a change made on disk after a first read', async () => {
    const dir = await tempDir();
    const path = join(dir, 'f.bin');
    await fs.writeFile(path, Buffer.alloc(10_000, 1));
    const first = await hashFromMedium(path);
    const changed = Buffer.alloc(10_000, 1);
    changed[9_999] = 2;
    await fs.writeFile(path, changed);
    const second = await hashFromMedium(path);
    expect(second.hash).not.toBe(first.hash);
    expect(second.hash).toBe(hashBytes(changed));
  });

  it('rejects with ENOENT for a missing file', async () => {
    const dir = await tempDir();
    const err: unknown = await hashFromMedium(join(dir, 'none')).catch((e: unknown) => e);
    expect(errnoOf(err)).toBe('ENOENT');
  });
});
