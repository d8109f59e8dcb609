import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hashBytes } from '../../../src/platform/index.js';
import {
  initVault,
  nodeVaultIo,
  Vault,
  writeToVaults,
  type VaultIo,
} from '../../../src/vault/index.js';
import { tempDir } from '../../helpers/tmp.js';

async function twoVaults(ioB: VaultIo = nodeVaultIo): Promise<[Vault, Vault]> {
  const dir = await tempDir();
  await initVault(join(dir, 'a'), { label: 'SSD-A' });
  await initVault(join(dir, 'b'), { label: 'SSD-B' });
  return [await Vault.open(join(dir, 'a')), await Vault.open(join(dir, 'b'), ioB)];
}

async function* chunked(data: Buffer, size: number): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < data.length; at += size) {
    await Promise.resolve();
    yield data.subarray(at, at + size);
  }
}

const MTIME_MS = Date.UTC(2026, 2, 7, 9, 5, 3, 250);

describe('writeToVaults', () => {
  it('gives every vault an identical temp with the right hash, size and mtime', async () => {
    const [a, b] = await twoVaults();
    const data = randomBytes(300_001);
    const result = await writeToVaults(chunked(data, 65_536), [a, b], 'job-1.part', MTIME_MS);
    expect(result.hash).toBe(hashBytes(data));
    expect(result.bytes).toBe(data.length);
    expect(result.failed.size).toBe(0);
    expect([...result.temps.keys()].sort()).toEqual([a.id, b.id].sort());
    for (const vault of [a, b]) {
      const tmp = result.temps.get(vault.id)!;
      expect(tmp).toBe(vault.tempPath('job-1.part'));
      expect((await fs.readFile(tmp)).equals(data)).toBe(true);
      expect((await fs.stat(tmp)).mtimeMs).toBe(MTIME_MS);
    }
  });

  it('handles an empty source', async () => {
    const [a, b] = await twoVaults();
    const result = await writeToVaults(chunked(Buffer.alloc(0), 1), [a, b], 'e.part', MTIME_MS);
    expect(result.hash).toBe(hashBytes(new Uint8Array()));
    expect(result.bytes).toBe(0);
    expect((await fs.stat(result.temps.get(b.id)!)).size).toBe(0);
  });

  it('removes every temp and rethrows when the source fails mid-way', async () => {
    const [a, b] = await twoVaults();
    const cardYanked = Object.assign(new Error('card removed'), { code: 'EIO' });
    async function* failing(): AsyncGenerator<Uint8Array> {
      await Promise.resolve();
      yield Buffer.alloc(10_000, 1);
      yield Buffer.alloc(10_000, 2);
      throw cardYanked;
    }
    await expect(writeToVaults(failing(), [a, b], 'f.part', MTIME_MS)).rejects.toBe(cardYanked);
    expect(await fs.readdir(a.paths.tmp)).toEqual([]);
    expect(await fs.readdir(b.paths.tmp)).toEqual([]);
  });

  it('reports a vault whose temp cannot be created and completes the other', async () => {
    const refusing: VaultIo = {
      ...nodeVaultIo,
      createTemp: () => Promise.reject(Object.assign(new Error('no space'), { code: 'ENOSPC' })),
    };
    const [a, b] = await twoVaults(refusing);
    const data = randomBytes(100_000);
    const result = await writeToVaults(chunked(data, 30_000), [a, b], 'g.part', MTIME_MS);
    expect(result.hash).toBe(hashBytes(data));
    expect([...result.temps.keys()]).toEqual([a.id]);
    expect((await fs.readFile(result.temps.get(a.id)!)).equals(data)).toBe(true);
    const problem = result.failed.get(b.id);
    expect(problem?.code).toBe('E_NO_SPACE');
    expect(problem?.subject.vault).toBe('SSD-B');
    expect(await fs.readdir(b.paths.tmp)).toEqual([]);
  });

  it('drops a vault whose writes fail mid-way, removes its temp, and finishes the other', async () => {
    const failingWrites: VaultIo = {
      ...nodeVaultIo,
      createTemp: async (path) => {
        const handle = await fs.open(path, 'wx');
        let writes = 0;
        const realWrite = handle.write.bind(handle) as (...args: unknown[]) => Promise<unknown>;
        Object.assign(handle, {
          write: (...args: unknown[]) =>
            ++writes > 1
              ? Promise.reject(Object.assign(new Error('I/O error'), { code: 'EIO' }))
              : realWrite(...args),
        });
        return handle;
      },
    };
    const [a, b] = await twoVaults(failingWrites);
    const data = randomBytes(200_000);
    const result = await writeToVaults(chunked(data, 50_000), [a, b], 'h.part', MTIME_MS);
    expect(result.hash).toBe(hashBytes(data));
    expect(result.temps.has(a.id)).toBe(true);
    expect(result.failed.get(b.id)?.code).toBe('E_IO');
    expect(await fs.readdir(b.paths.tmp)).toEqual([]);
  });

  it('stops reading and gives no hash when every vault has failed', async () => {
    const refusing: VaultIo = {
      ...nodeVaultIo,
      createTemp: () => Promise.reject(Object.assign(new Error('gone'), { code: 'ENODEV' })),
    };
    const dir = await tempDir();
    await initVault(join(dir, 'b'), { label: 'SSD-B' });
    const b = await Vault.open(join(dir, 'b'), refusing);
    let reads = 0;
    let closed = false;
    async function* source(): AsyncGenerator<Uint8Array> {
      try {
        for (;;) {
          await Promise.resolve();
          reads++;
          yield Buffer.alloc(1000);
          if (reads > 100) throw new Error('kept reading');
        }
      } finally {
        closed = true;
      }
    }
    const result = await writeToVaults(source(), [b], 'i.part', MTIME_MS);
    expect(result.hash).toBeUndefined();
    expect(result.failed.get(b.id)?.code).toBe('E_VAULT_MISSING');
    expect(reads).toBeLessThanOrEqual(1);
    expect(closed).toBe(true);
  });
});
