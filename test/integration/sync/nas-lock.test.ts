import * as fs from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isFieldBackupError, type BoxId } from '../../../src/core/index.js';
import { LocalRemote } from '../../../src/sync/local-remote.js';
import { HeldNasLocks, NAS_LOCK, NasLock } from '../../../src/sync/nas-lock.js';
import { RemoteVault } from '../../../src/sync/remote-vault.js';
import { tempDir } from '../../helpers/tmp.js';

const STUDIO = { id: 'box-studio' as BoxId, name: 'studio' };
const LAPTOP = { id: 'box-laptop' as BoxId, name: 'laptop' };

/** A NAS where something happens just before the lock file is moved: another box's move. */
class RacingRemote extends LocalRemote {
  beforeLockMove: (() => Promise<void>) | undefined;

  override async place(from: string, to: string): Promise<'placed' | 'exists'> {
    if (from === NAS_LOCK) {
      const race = this.beforeLockMove;
      this.beforeLockMove = undefined;
      await race?.();
    }
    return super.place(from, to);
  }
}

async function nasWithLock(holder: object, ageMs: number): Promise<string> {
  const nas = await tempDir();
  await RemoteVault.open(new LocalRemote(nas), { init: true, now: new Date() });
  await fs.writeFile(join(nas, NAS_LOCK), `${JSON.stringify(holder)}\n`);
  const at = new Date(Date.now() - ageMs);
  await fs.utimes(join(nas, NAS_LOCK), at, at);
  return nas;
}

const holderOf = async (nas: string): Promise<unknown> =>
  JSON.parse((await fs.readFile(join(nas, NAS_LOCK), 'utf8')).split('\n')[0] ?? '');

describe('the NAS sync lock', () => {
  it('of two boxes taking over a dead lock at once, the later one leaves the winner its lock', async () => {
    const dead = { box: { id: 'gone', name: 'old box' }, host: 'elsewhere', pid: 1, since: 'x' };
    const nas = await nasWithLock(dead, 10 * 60_000);
    const now = new Date();
    const studioVault = await RemoteVault.open(new LocalRemote(nas), { owner: STUDIO.id, now });
    const racing = new RacingRemote(nas);
    const laptopVault = await RemoteVault.open(racing, { owner: LAPTOP.id, now });
    let studio: NasLock | undefined;
    // The laptop has judged the lock dead; before it moves it, the studio box takes it over.
    racing.beforeLockMove = async () => {
      studio = await NasLock.acquire(studioVault, STUDIO, now);
    };
    const laptop = await NasLock.acquire(laptopVault, LAPTOP, now).catch((e: unknown) => e);
    expect(isFieldBackupError(laptop, 'E_VAULT_LOCKED')).toBe(true);
    expect((laptop as Error).message).toContain('studio');
    expect(studio).toBeDefined();
    expect(await holderOf(nas)).toMatchObject({ box: STUDIO });
    await studio?.release();
    await expect(fs.stat(join(nas, NAS_LOCK))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it("a lock naming this process is live unless the process's held locks say it was left behind", async () => {
    const left = { box: STUDIO, host: hostname(), pid: process.pid, since: 'earlier' };
    const nas = await nasWithLock(left, 0);
    const vault = await RemoteVault.open(new LocalRemote(nas), {
      owner: LAPTOP.id,
      now: new Date(),
    });
    const busy = await NasLock.acquire(vault, LAPTOP, new Date()).catch((e: unknown) => e);
    expect(isFieldBackupError(busy, 'E_VAULT_LOCKED')).toBe(true);

    const held = new HeldNasLocks();
    const lock = await NasLock.acquire(vault, LAPTOP, new Date(), held);
    expect(await holderOf(nas)).toMatchObject({ box: LAPTOP });
    // A second sync of this process while the first runs sees the lock as live.
    const again = await NasLock.acquire(vault, STUDIO, new Date(), held).catch((e: unknown) => e);
    expect(isFieldBackupError(again, 'E_VAULT_LOCKED')).toBe(true);
    await lock.release();
  });
});
