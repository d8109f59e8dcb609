import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hashBytes, Xxh128 } from '../../../src/platform/index.js';
import { hasCommand, prerequisite } from '../../helpers/prereq.js';
import { tempDir } from '../../helpers/tmp.js';

const EMPTY_XXH128 = '99aa06d3014798d86001c324468d497f';

describe('Xxh128', () => {
  it('gives the known xxh128 of empty input', () => {
    expect(new Xxh128().digest()).toBe(EMPTY_XXH128);
    expect(hashBytes(new Uint8Array())).toBe(EMPTY_XXH128);
  });

  it('gives the same digest streamed in uneven chunks as in one call', () => {
    const data = randomBytes(1_000_003);
    const h = new Xxh128();
    for (let at = 0, step = 1; at < data.length; at += step, step = step * 3 + 1) {
      h.update(data.subarray(at, at + step));
    }
    expect(h.digest()).toBe(hashBytes(data));
  });

  it('hashes a Uint8Array view by its own bytes, not its whole buffer', () => {
    const backing = new Uint8Array([9, 9, 1, 2, 3, 9, 9]);
    const view = new Uint8Array(backing.buffer, 2, 3);
    expect(hashBytes(view)).toBe(hashBytes(Buffer.from([1, 2, 3])));
  });

  it('tells different content apart', () => {
    expect(hashBytes(Buffer.from('a'))).not.toBe(hashBytes(Buffer.from('b')));
    expect(hashBytes(Buffer.from('a'))).toMatch(/^[0-9a-f]{32}$/);
  });

  it.runIf(prerequisite('xxhsum', hasCommand('xxhsum')))(
    'matches `xxhsum -H2` on a random file',
    async () => {
      const dir = await tempDir();
      const path = join(dir, 'random.bin');
      const data = randomBytes(3 * 1024 * 1024 + 17);
      await fs.writeFile(path, data);
      const out = execFileSync('xxhsum', ['-H2', path], { encoding: 'utf8' });
      const reference = /^([0-9a-f]{32})\s/.exec(out)?.[1];
      expect(reference).toBeDefined();
      expect(hashBytes(data)).toBe(reference);
    },
  );
});
