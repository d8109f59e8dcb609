import { hostname } from 'node:os';
import { FieldBackupError, type BoxId } from '../core/index.js';
import type { RemoteFile } from './remote.js';
import type { RemoteVault } from './remote-vault.js';

export const NAS_LOCK = '.fieldbackup/sync.lock';
/** The holder appends a byte this often; the NAS's own clock stamps it. */
const HEARTBEAT_MS = 20_000;
/** A lock whose last heartbeat is this old (by the NAS's clock) belongs to a box that died. */
const STALE_MS = 120_000;

/** Locks this process holds now, by their holder record: one naming this process but not listed here was left by a run that failed to release it. */
const liveHere = new Set<string>();

interface Holder {
  readonly box: { readonly id: BoxId; readonly name: string };
  readonly host: string;
  readonly pid: number;
  readonly since: string;
}

/**
 * One box syncs into a NAS vault at a time, so that two boxes coming home together never
 * store one object twice or resolve one conflict both ways. The lock file stays open and
 * grows by a byte every 20 s; its modification time, set by the NAS, is the heartbeat. A lock
 * without a heartbeat for two minutes (NAS time, so box clocks do not matter), or left by
 * this same box, is taken over.
 */
export class NasLock {
  private timer: NodeJS.Timeout | undefined;
  private beating: Promise<void> = Promise.resolve();

  private constructor(
    private readonly vault: RemoteVault,
    private readonly file: RemoteFile,
    private readonly key: string,
  ) {}

  /** Takes the lock, or throws E_VAULT_LOCKED (retryable) naming the box that holds it. */
  static async acquire(
    vault: RemoteVault,
    box: { readonly id: BoxId; readonly name: string },
    now: Date,
  ): Promise<NasLock> {
    const me: Holder = { box, host: hostname(), pid: process.pid, since: now.toISOString() };
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        // Written whole under a temporary name first: a lock file is never torn.
        await vault.writeNew(NAS_LOCK, `${JSON.stringify(me)}\n`, 'lock');
        const key = JSON.stringify(me);
        const lock = new NasLock(vault, await vault.remote.append(NAS_LOCK), key);
        liveHere.add(key);
        lock.timer = setInterval(() => lock.beat(), HEARTBEAT_MS);
        lock.timer.unref();
        return lock;
      } catch (err) {
        if ((err as { code?: unknown }).code !== 'EEXIST') throw err;
      }
      const holder = await readHolder(vault);
      const stat = await vault.remote.stat(NAS_LOCK);
      if (stat === undefined) continue;
      const stale =
        holder?.box.id === box.id ||
        (holder !== undefined && deadOnThisHost(holder)) ||
        (await nasNow(vault)) - stat.mtimeMs > STALE_MS;
      if (!stale) {
        throw new FieldBackupError(
          'E_VAULT_LOCKED',
          `NAS vault ${vault.label} is being synced by ${holder?.box.name ?? 'another box'} (${holder?.host ?? '?'}, since ${holder?.since ?? '?'}); try again later`,
          { subject: { vault: vault.label }, retryable: true },
        );
      }
      // Move the dead lock aside first: of two boxes taking it over at once, one wins the move.
      const aside = vault.tempPath('stale-lock');
      if ((await vault.remote.place(NAS_LOCK, aside).catch(() => 'gone')) === 'placed')
        await vault.remote.remove(aside);
    }
    throw new FieldBackupError(
      'E_VAULT_LOCKED',
      `NAS vault ${vault.label}: cannot take the sync lock`,
      {
        subject: { vault: vault.label },
        retryable: true,
      },
    );
  }

  async release(): Promise<void> {
    clearInterval(this.timer);
    liveHere.delete(this.key);
    await this.beating;
    await this.file.close().catch(() => this.file.abort());
    await this.vault.remote.remove(NAS_LOCK).catch(() => undefined);
  }

  private beat(): void {
    // A failed heartbeat only makes the lock look stale sooner; the sync itself reports the NAS's problems.
    this.beating = this.beating.then(() =>
      this.file.write(Buffer.from('.')).catch(() => undefined),
    );
  }
}

/** A holder on this machine whose process is gone, or this process with no such lock live. */
function deadOnThisHost(holder: Holder): boolean {
  if (holder.host !== hostname()) return false;
  if (holder.pid === process.pid) return !liveHere.has(JSON.stringify(holder));
  try {
    process.kill(holder.pid, 0);
    return false;
  } catch (err) {
    return (err as { code?: unknown }).code === 'ESRCH';
  }
}

async function readHolder(vault: RemoteVault): Promise<Holder | undefined> {
  try {
    const text = (await vault.remote.readFile(NAS_LOCK, 1 << 20)).toString('utf8');
    return JSON.parse(text.split('\n')[0] ?? '') as Holder;
  } catch {
    // Torn or vanished: its writer died while writing it, or released it just now.
    return undefined;
  }
}

/** The NAS's own time: the modification time it gives a file written now. */
async function nasNow(vault: RemoteVault): Promise<number> {
  const probe = vault.tempPath('clock');
  const file = await vault.remote.create(probe);
  await file.write(Buffer.from('.'));
  await file.close({ fsync: true });
  const st = await vault.remote.stat(probe);
  await vault.remote.remove(probe);
  return st?.mtimeMs ?? Date.now();
}
