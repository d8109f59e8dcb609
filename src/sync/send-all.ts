import type { BoxIdentity, Catalog } from '../catalog/index.js';
import {
  isFieldBackupError,
  type Clock,
  type ContentHash,
  type ErrorCode,
  type FieldBackupError,
  type IngestProblemEvent,
  type SyncEvent,
} from '../core/index.js';
import { forEachConcurrent } from '../platform/index.js';
import type { Archive } from './archive.js';
import type { BoxObjects } from './box-objects.js';
import { ByteBudget } from './byte-budget.js';
import { IntentLog } from './intents.js';
import { writeGeneration } from './manifest.js';
import { PathLocks } from './path-locks.js';
import { SyncProgress } from './progress.js';
import { pushObject, type PushContext } from './push.js';
import type { RemoteVault } from './remote-vault.js';
import { SMALL_FILE } from './send-copy.js';
import { BufferPool } from './sftp-io.js';

/** Failures that stop the whole run (every further object would fail the same way). */
const RUN_FATAL: ReadonlySet<ErrorCode> = new Set([
  'E_UNREACHABLE',
  'E_NO_SPACE',
  'E_VAULT_READ_ONLY',
  'E_VAULT_MISSING',
]);
/** Bytes of the objects being sent at once: two large files, or many small ones. */
const BYTES_IN_FLIGHT = 128 * 1024 * 1024;
/** Read buffer for files larger than SMALL_FILE (two per file: one read ahead). */
const LARGE_READ = 2 * 1024 * 1024;
/** Objects failing in a row before the run gives up on a NAS that keeps failing. */
const MAX_FAILURES_IN_A_ROW = 5;

/** An object to send, as short as the plan keeps it. */
export interface ToSend {
  readonly hash: ContentHash;
  readonly size: number;
}

export interface SendAllOptions {
  readonly catalog: Catalog;
  readonly vault: RemoteVault;
  readonly archive: Archive;
  readonly box: BoxIdentity;
  readonly objects: BoxObjects;
  readonly clock: Clock;
  readonly concurrency: number;
  readonly signal?: AbortSignal;
  readonly emit: (event: SyncEvent) => void;
}

export interface SendTotals {
  sent: number;
  adopted: number;
  failed: number;
  conflicts: number;
  bytesSent: number;
  bytesVerified: number;
  /** What stopped the run early (the NAS went away, filled up, turned read-only). */
  stopped?: FieldBackupError;
}

/**
 * Sends the objects in their order, many at once within a byte budget, each announced by an
 * intent first; a failure of one object is reported and the rest go on, a failure of the NAS
 * stops the run. Stops starting objects once the signal fires.
 */
export async function sendAll(o: SendAllOptions, toSend: readonly ToSend[]): Promise<SendTotals> {
  const { vault } = o;
  const aborted = (): boolean => o.signal?.aborted === true;
  const c: SendTotals = {
    sent: 0,
    adopted: 0,
    failed: 0,
    conflicts: 0,
    bytesSent: 0,
    bytesVerified: 0,
  };
  const report = (p: Omit<IngestProblemEvent, 'event'> & { event: 'warning' | 'error' }): void =>
    o.emit(p);
  const progress = new SyncProgress(
    { files: toSend.length, bytes: toSend.reduce((n, x) => n + x.size, 0) },
    o.clock,
    o.emit,
  );
  const ctx: PushContext = {
    ...o,
    buffers: {
      small: new BufferPool(SMALL_FILE, o.concurrency),
      large: new BufferPool(LARGE_READ, 4),
    },
    claims: new Set(),
    pathLocks: new PathLocks(),
    boxName: o.box.name,
    report,
    onBytesSent: (n) => {
      c.bytesSent += n;
      progress.sent(n);
    },
    onVerifiedBytes: (n) => (c.bytesVerified += n),
    onConflict: (e) => {
      c.conflicts++;
      o.emit(e);
    },
    declareMove: async (move, unlisted) => {
      const objects = unlisted === undefined ? [] : [unlisted];
      await writeGeneration(vault, o.box, { objects, moves: [move] }, o.clock.now());
    },
  };
  const intents = new IntentLog(vault, o.box.id, toSend.length, (i) => {
    const item = toSend[i];
    const obj = item === undefined ? undefined : o.objects.one(item.hash);
    return obj === undefined ? undefined : { hash: obj.hash, size: obj.size, path: obj.path };
  });
  const budget = new ByteBudget(BYTES_IN_FLIGHT);
  let failuresInARow = 0;
  await forEachConcurrent(toSend.entries(), o.concurrency, async ([index, item]) => {
    if (aborted() || c.stopped !== undefined) return;
    const release = await budget.take(item.size);
    const before = c.bytesSent;
    const obj = o.objects.one(item.hash);
    try {
      if (aborted() || c.stopped !== undefined || obj === undefined) return;
      await intents.cover(index);
      const result = await pushObject(ctx, obj);
      c[result.outcome]++;
      failuresInARow = 0;
      o.emit({
        event: 'file',
        hash: obj.hash,
        path: result.path,
        bytes: obj.size,
        tier: obj.tier,
        outcome: result.outcome,
      });
    } catch (err) {
      if (aborted() || obj === undefined) return;
      const problem = isFieldBackupError(err)
        ? err
        : vault.problem(err, `cannot sync ${obj.path}`, obj.path);
      if (RUN_FATAL.has(problem.code) || ++failuresInARow >= MAX_FAILURES_IN_A_ROW) {
        c.stopped ??= problem;
        return;
      }
      c.failed++;
      report({
        event: 'error',
        code: problem.code,
        message: problem.message,
        path: obj.path,
        vault: vault.label,
      });
    } finally {
      release();
    }
    progress.settled(Math.max(0, item.size - (c.bytesSent - before)));
  });
  return c;
}
