import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chunksOf, READ_CHUNK } from '../../../src/platform/index.js';
import { tempDir } from '../../helpers/tmp.js';

async function drain(
  gen: AsyncGenerator<Buffer, number>,
): Promise<{ chunks: Buffer[]; end: number }> {
  const chunks: Buffer[] = [];
  for (let step = await gen.next(); ; step = await gen.next()) {
    if (step.done === true) return { chunks, end: step.value };
    chunks.push(Buffer.from(step.value));
  }
}

describe('chunksOf', () => {
  it.each([0, 1, READ_CHUNK, 2 * READ_CHUNK + 5])(
    'yields all %i bytes in order and returns the final position',
    async (size) => {
      const dir = await tempDir();
      const path = join(dir, 'f');
      const data = randomBytes(size);
      await fs.writeFile(path, data);
      const handle = await fs.open(path, 'r');
      try {
        const { chunks, end } = await drain(chunksOf(handle));
        expect(Buffer.concat(chunks).equals(data)).toBe(true);
        expect(end).toBe(size);
        expect(chunks.every((c) => c.length > 0 && c.length <= READ_CHUNK)).toBe(true);
      } finally {
        await handle.close();
      }
    },
  );

  it('starts at the given position', async () => {
    const dir = await tempDir();
    const path = join(dir, 'f');
    const data = randomBytes(READ_CHUNK + 1000);
    await fs.writeFile(path, data);
    const handle = await fs.open(path, 'r');
    try {
      const { chunks, end } = await drain(chunksOf(handle, 100));
      expect(end).toBe(data.length);
      expect(Buffer.concat(chunks).equals(data.subarray(100))).toBe(true);
    } finally {
      await handle.close();
    }
  });

  it('keeps a chunk valid while the next one is read (read-ahead)', async () => {
    const dir = await tempDir();
    const path = join(dir, 'f');
    const data = randomBytes(4 * READ_CHUNK + 3);
    await fs.writeFile(path, data);
    const handle = await fs.open(path, 'r');
    try {
      const gen = chunksOf(handle);
      let previous = await gen.next();
      let at = 0;
      while (previous.done !== true) {
        const next = await gen.next();
        const chunk = previous.value;
        expect(chunk.equals(data.subarray(at, at + chunk.length))).toBe(true);
        at += chunk.length;
        previous = next;
      }
      expect(at).toBe(data.length);
    } finally {
      await handle.close();
    }
  });
});
