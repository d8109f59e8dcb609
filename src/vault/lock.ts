import * as fs from 'node:fs/promises';
import { hostname } from 'node:os';
import { FieldBackupError } from '../core/index.js';
import { errnoOf, fsyncDir } from '../platform/index.js';
import { dirname, join, resolve } from 'node:path';

interface LockOwner {
  readonly pid: number;
  readonly host: string;
  readonly bootId: string;
  readonly since: string;
}

export interface VaultLock {
  release(): Promise<void>;
}

/**
 * Locks this process holds now. A lock file naming this pid but not listed here is a previous
 * life's (same pid after a restart); one listed here is a live holder in this very process.
 */
const heldHere = new Set<string>();

/**
 * One writer per vault. The lock file names its owner; a lock left by a process that died
 * (kill -9, power cut: another boot) is taken over.
 */
export async function acquireVaultLock(lockPath: string, vaultName: string): Promise<VaultLock> {
  const me: LockOwner = {
    pid: process.pid,
    host: hostname(),
    bootId: await bootId(),
    since: new Date().toISOString(),
  };
  const key = await lockKey(lockPath);
  for (let attempt = 0; attempt < 3; attempt++) {
    if (heldHere.has(key)) {
      throw new FieldBackupError(
        'E_VAULT_LOCKED',
        `vault ${vaultName} is in use by this process (pid ${me.pid})`,
        { subject: { vault: vaultName }, retryable: true },
      );
    }
    // Claimed before the first await, so a concurrent acquire in this process sees it at once.
    heldHere.add(key);
    try {
      await fs.writeFile(lockPath, JSON.stringify(me), { flag: 'wx' });
      await fsyncDir(dirname(lockPath));
      let released = false;
      return {
        release: async () => {
          if (released) return;
          released = true;
          await fs.rm(lockPath, { force: true });
          heldHere.delete(key);
        },
      };
    } catch (err) {
      heldHere.delete(key);
      if (errnoOf(err) !== 'EEXIST') throw err;
    }
    const owner = await readOwner(lockPath);
    if (owner !== undefined && isAlive(owner, me)) {
      throw new FieldBackupError(
        'E_VAULT_LOCKED',
        `vault ${vaultName} is in use by process ${owner.pid} on ${owner.host} since ${owner.since}`,
        {
          subject: { vault: vaultName },
          retryable: true,
        },
      );
    }
    await fs.rm(lockPath, { force: true });
  }
  throw new FieldBackupError('E_VAULT_LOCKED', `vault ${vaultName}: could not take the lock`, {
    subject: { vault: vaultName },
    retryable: true,
  });
}

/** The same lock file, however its vault root was spelled (relative path, symlink). */
async function lockKey(lockPath: string): Promise<string> {
  const dir = await fs.realpath(dirname(lockPath)).catch(() => resolve(dirname(lockPath)));
  return join(dir, lockPath.slice(dirname(lockPath).length + 1));
}

async function readOwner(lockPath: string): Promise<LockOwner | undefined> {
  try {
    return JSON.parse(await fs.readFile(lockPath, 'utf8')) as LockOwner;
  } catch {
    // Torn or vanished lock file: its writer died before finishing it.
    return undefined;
  }
}

function isAlive(owner: LockOwner, me: LockOwner): boolean {
  // Another host's lock (a vault on a shared disk) cannot be checked: respect it.
  if (owner.host !== me.host) return true;
  if (owner.bootId !== me.bootId) return false;
  if (owner.pid === me.pid) return false;
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (err) {
    return errnoOf(err) === 'EPERM';
  }
}

async function bootId(): Promise<string> {
  try {
    return (await fs.readFile('/proc/sys/kernel/random/boot_id', 'utf8')).trim();
  } catch {
    return 'unknown';
  }
}
