import { hostname } from 'node:os';
import { FieldBackupError, type BoxId } from '../core/index.js';
import type { RemoteFile } from './remote.js';
import type { RemoteVault } from './remote-vault.js';

export const NAS_LOCK = '.fieldbackup/sync.lock';
/** The holder appends a byte this often; the NAS's own clock stamps it. */
const HEARTBEAT_MS = 20_000;
/** A lock whose last heartbeat is this old (by the NAS's clock) belongs to a box that died. */
const STALE_MS = 120_000;

/**
 * The NAS locks a process holds now, by their holder record: a lock naming this process but
 * not listed here was left by a run that failed to release it. Whoever runs the syncs of a
 * process (the appliance) passes the same one to each; without one, a lock naming this
 * process counts as live until its heartbeat stops.
 */
export class HeldNasLocks {
  private readonly keys = new Set<string>();

  add(key: string): void {
    this.keys.add(key);
  }

  delete(key: string): void {
    this.keys.delete(key);
  }

  has(key: string): boolean {
    return this.keys.has(key);
  }
}

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
    private readonly held: HeldNasLocks | undefined,
  ) {}

  /** Takes the lock, or throws E_VAULT_LOCKED (retryable) naming the box that holds it. */
  static async acquire(
    vault: RemoteVault,
    box: { readonly id: BoxId; readonly name: string },
    now: Date,
    held?: HeldNasLocks,
  ): Promise<NasLock> {
    const me: Holder = { box, host: hostname(), pid: process.pid, since: now.toISOString() };
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        // Written whole under a temporary name first: a lock file is never torn.
        await vault.writeNew(NAS_LOCK, `${JSON.stringify(me)}\n`, 'lock');
        const key = JSON.stringify(me);
        const lock = new NasLock(vault, await vault.remote.append(NAS_LOCK), key, held);
        held?.add(key);
        lock.timer = setInterval(() => lock.beat(), HEARTBEAT_MS);
        lock.timer.unref();
        return lock;
      } catch (err) {
        if ((err as { code?: unknown }).code !== 'EEXIST') throw err;
      }
      const seen = await firstLine(vault, NAS_LOCK);
      const holder = parseHolder(seen);
      const stat = await vault.remote.stat(NAS_LOCK);
      if (seen === undefined || stat === undefined) continue;
      const stale =
        holder?.box.id === box.id ||
        (holder !== undefined && deadOnThisHost(holder, held)) ||
        (await nasNow(vault)) - stat.mtimeMs > STALE_MS;
      if (!stale) throw busy(vault, holder);
      await removeStale(vault, seen);
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
    this.held?.delete(this.key);
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

/** A holder on this machine whose process is gone, or this process with no such lock held. */
function deadOnThisHost(holder: Holder, held: HeldNasLocks | undefined): boolean {
  if (holder.host !== hostname()) return false;
  if (holder.pid === process.pid) return held !== undefined && !held.has(JSON.stringify(holder));
  try {
    process.kill(holder.pid, 0);
    return false;
  } catch (err) {
    return (err as { code?: unknown }).code === 'ESRCH';
  }
}

/**
 * Removes the lock judged dead, and only that one. It is moved aside first (of two boxes
 * taking it over at once, one wins the move), then what was moved is compared with what was
 * judged: when another box took the lock over in between, the move caught that box's live
 * lock, which goes straight back (its heartbeat writes through its open handle all along).
 */
async function removeStale(vault: RemoteVault, judged: string): Promise<void> {
  const aside = vault.tempPath('stale-lock');
  if ((await vault.remote.place(NAS_LOCK, aside).catch(() => 'gone')) !== 'placed') return;
  const moved = await firstLine(vault, aside);
  if (moved === judged) {
    await vault.remote.remove(aside);
    return;
  }
  await vault.remote.place(aside, NAS_LOCK).catch(() => 'exists');
  throw busy(vault, parseHolder(moved));
}

function busy(vault: RemoteVault, holder: Holder | undefined): FieldBackupError {
  return new FieldBackupError(
    'E_VAULT_LOCKED',
    `NAS vault ${vault.label} is being synced by ${holder?.box.name ?? 'another box'} (${holder?.host ?? '?'}, since ${holder?.since ?? '?'}); try again later`,
    { subject: { vault: vault.label }, retryable: true },
  );
}

/** The holder record of a lock file (its first line), or undefined when it is gone. */
async function firstLine(vault: RemoteVault, path: string): Promise<string | undefined> {
  try {
    return (await vault.remote.readFile(path, 1 << 20)).toString('utf8').split('\n')[0] ?? '';
  } catch {
    return undefined;
  }
}

function parseHolder(line: string | undefined): Holder | undefined {
  try {
    return JSON.parse(line ?? '') as Holder;
  } catch {
    // Torn: its writer died while writing it.
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
