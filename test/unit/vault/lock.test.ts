import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isFieldBackupError } from '../../../src/core/index.js';
import { acquireVaultLock } from '../../../src/vault/index.js';
import { tempDir } from '../../helpers/tmp.js';

async function currentBootId(): Promise<string> {
  return (await fs.readFile('/proc/sys/kernel/random/boot_id', 'utf8')).trim();
}

/** The pid of a process that has exited (and been reaped). */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
    encoding: 'utf8',
  });
  return Number(child.stdout);
}

const owner = (pid: number, bootId: string, host = hostname()): string =>
  JSON.stringify({ pid, host, bootId, since: '2026-01-01T00:00:00.000Z' });

describe('acquireVaultLock', () => {
  it('writes a lock naming this process and removes it on release', async () => {
    const path = join(await tempDir(), 'lock');
    const lock = await acquireVaultLock(path, 'SSD-A');
    const content = JSON.parse(await fs.readFile(path, 'utf8')) as { pid: number; host: string };
    expect(content.pid).toBe(process.pid);
    expect(content.host).toBe(hostname());
    await lock.release();
    await expect(fs.stat(path)).rejects.toMatchObject({ code: 'ENOENT' });
    // Free again.
    await (await acquireVaultLock(path, 'SSD-A')).release();
  });

  it('refuses a second holder while a live process holds it', async () => {
    const path = join(await tempDir(), 'lock');
    // The parent of this test process is alive and is not us.
    await fs.writeFile(path, owner(process.ppid, await currentBootId()));
    const err: unknown = await acquireVaultLock(path, 'SSD-A').catch((e: unknown) => e);
    expect(isFieldBackupError(err, 'E_VAULT_LOCKED')).toBe(true);
    if (!isFieldBackupError(err)) return;
    expect(err.subject.vault).toBe('SSD-A');
    expect(err.retryable).toBe(true);
    expect(err.message).toContain(String(process.ppid));
    expect(JSON.parse(await fs.readFile(path, 'utf8'))).toMatchObject({ pid: process.ppid });
  });

  it('refuses a second acquire in this same process while the first is held', async () => {
    const path = join(await tempDir(), 'lock');
    const first = await acquireVaultLock(path, 'SSD-A');
    await expect(acquireVaultLock(path, 'SSD-A')).rejects.toMatchObject({
      code: 'E_VAULT_LOCKED',
    });
    // The refused attempt did not disturb the holder's lock file.
    expect(JSON.parse(await fs.readFile(path, 'utf8'))).toMatchObject({ pid: process.pid });
    await first.release();
    const second = await acquireVaultLock(path, 'SSD-A');
    await second.release();
    await expect(fs.stat(path)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('lets exactly one of two concurrent acquires in this process win', async () => {
    const path = join(await tempDir(), 'lock');
    const results = await Promise.allSettled([
      acquireVaultLock(path, 'SSD-A'),
      acquireVaultLock(path, 'SSD-A'),
    ]);
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r) => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(lost[0]?.reason).toMatchObject({ code: 'E_VAULT_LOCKED' });
    expect(JSON.parse(await fs.readFile(path, 'utf8'))).toMatchObject({ pid: process.pid });
    await won[0]?.value.release();
  });

  it('takes over a lock naming this pid that this process does not hold (a previous life)', async () => {
    const path = join(await tempDir(), 'lock');
    await fs.writeFile(path, owner(process.pid, await currentBootId()));
    const lock = await acquireVaultLock(path, 'SSD-A');
    await lock.release();
  });

  it('respects a lock held by another host', async () => {
    const path = join(await tempDir(), 'lock');
    await fs.writeFile(path, owner(deadPid(), await currentBootId(), `${hostname()}-other`));
    await expect(acquireVaultLock(path, 'SSD-A')).rejects.toMatchObject({
      code: 'E_VAULT_LOCKED',
    });
  });

  it('takes over a lock left by a dead process of this boot', async () => {
    const path = join(await tempDir(), 'lock');
    const pid = deadPid();
    await fs.writeFile(path, owner(pid, await currentBootId()));
    const lock = await acquireVaultLock(path, 'SSD-A');
    expect(JSON.parse(await fs.readFile(path, 'utf8'))).toMatchObject({ pid: process.pid });
    await lock.release();
  });

  it('takes over a lock from an earlier boot even if the pid is alive now', async () => {
    const path = join(await tempDir(), 'lock');
    await fs.writeFile(path, owner(process.ppid, 'an-earlier-boot'));
    const lock = await acquireVaultLock(path, 'SSD-A');
    expect(JSON.parse(await fs.readFile(path, 'utf8'))).toMatchObject({ pid: process.pid });
    await lock.release();
  });

  it('takes over a torn lock file', async () => {
    const path = join(await tempDir(), 'lock');
    await fs.writeFile(path, '{"pid": 12');
    const lock = await acquireVaultLock(path, 'SSD-A');
    expect(JSON.parse(await fs.readFile(path, 'utf8'))).toMatchObject({ pid: process.pid });
    await lock.release();
  });

  it('fails with the filesystem error when the folder is missing', async () => {
    const path = join(await tempDir(), 'missing', 'lock');
    await expect(acquireVaultLock(path, 'SSD-A')).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
