import type { BoxIdentity, Catalog } from '../catalog/index.js';
import {
  isFieldBackupError,
  type Clock,
  type ErrorCode,
  type FieldBackupError,
  type IngestProblemEvent,
  type Logger,
  type SyncDoneEvent,
  type SyncEvent,
  type TierName,
} from '../core/index.js';
import { forEachConcurrent } from '../platform/index.js';
import { Archive } from './archive.js';
import { boxObjects, type BoxObject } from './box-objects.js';
import { openLocalVaults } from './local-vaults.js';
import { readManifests, writeGeneration, type ManifestObject } from './manifest.js';
import { IntentLog, removeIntents, resolveIntents } from './intents.js';
import { completeDeclaredMoves } from './moves.js';
import { PathLocks } from './path-locks.js';
import { ByteBudget } from './byte-budget.js';
import { SMALL_FILE } from './send-copy.js';
import { BufferPool } from './sftp-io.js';
import { SyncProgress } from './progress.js';
import { pushObject, type PushContext } from './push.js';
import type { RemoteVault } from './remote-vault.js';
import { syncOrder } from './order.js';

/** Failures that stop the whole run (every further object would fail the same way). */
const RUN_FATAL: ReadonlySet<ErrorCode> = new Set([
  'E_UNREACHABLE',
  'E_NO_SPACE',
  'E_VAULT_READ_ONLY',
  'E_VAULT_MISSING',
]);
/** Bytes of the objects being sent at once (a few large files, or many small ones). */
const BYTES_IN_FLIGHT = 64 * 1024 * 1024;
/** Read buffer for files larger than SMALL_FILE. */
const LARGE_READ = 2 * 1024 * 1024;
/** Objects failing in a row before the run gives up on a NAS that keeps failing. */
const MAX_FAILURES_IN_A_ROW = 5;
/** Objects per manifest generation, so a first sync of a large catalog is not one huge file. */
const MAX_OBJECTS_PER_GENERATION = 20_000;

export interface RunOptions {
  readonly catalog: Catalog;
  readonly vault: RemoteVault;
  readonly box: BoxIdentity;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly concurrency: number;
  readonly vaults?: readonly string[];
  readonly tierOrder?: readonly TierName[];
  readonly signal?: AbortSignal;
  readonly emit: (event: SyncEvent) => void;
}

/** One sync with the NAS vault open and locked: read the archive, send what it lacks, write the manifest. */
export async function runSync(o: RunOptions): Promise<SyncDoneEvent> {
  const { catalog, vault, box, clock } = o;
  const started = clock.monotonicMs();
  const aborted = (): boolean => o.signal?.aborted === true;
  const report = (p: Omit<IngestProblemEvent, 'event'> & { event: 'warning' | 'error' }): void =>
    o.emit(p);
  await catalog.sync.putTarget({
    ...catalog.sync.target(vault.id),
    vaultId: vault.id,
    label: vault.label,
    location: vault.remote.location,
    lastStartedAt: clock.now().getTime(),
  });
  const removed = await vault.removeTemporaries(box.id, clock.now().getTime());
  if (removed > 0)
    report({
      event: 'warning',
      code: 'E_RECOVERED',
      message: `${removed} temporaries of an interrupted sync removed from the NAS`,
      vault: vault.label,
    });
  const archive = Archive.build(
    await readManifests(vault, (message, path) =>
      report({ event: 'warning', code: 'E_IO', message, path, vault: vault.label }),
    ),
  );
  for (const { hash, record } of catalog.sync.pushedTo(vault.id))
    archive.locate({ hash, ...record, tier: '' });
  const located = await resolveIntents(vault, archive, (message, path) =>
    report({ event: 'warning', code: 'E_IO', message, path, vault: vault.label }),
  );
  if (located > 0)
    report({
      event: 'warning',
      code: 'E_RECOVERED',
      message: `${located} objects an interrupted sync placed on the NAS were found and will be listed`,
      vault: vault.label,
    });
  await completeDeclaredMoves(vault, archive, (message, path) =>
    report({ event: 'warning', code: 'E_RECOVERED', message, path, vault: vault.label }),
  );
  const ssds = await openLocalVaults(catalog, o.vaults, (root, why) =>
    report({
      event: 'warning',
      code: 'E_VAULT_MISSING',
      message: `SSD vault ${root} is not available: ${why}`,
      vault: root,
    }),
  );

  let files = 0;
  const toSend: BoxObject[] = [];
  for (const obj of boxObjects(catalog, ssds, o.tierOrder)) {
    files++;
    if (archive.object(obj.hash) === undefined) toSend.push(obj);
  }
  toSend.sort((a, b) => syncOrder(o.tierOrder)(a, b));
  const bytesToSend = toSend.reduce((n, x) => n + x.size, 0);
  o.emit({
    event: 'start',
    target: vault.remote.location,
    vault: { id: vault.id, label: vault.label },
    box: { id: box.id, name: box.name },
    boxes: archive.boxes.length,
    files,
    toSend: toSend.length,
    bytesToSend,
  });

  const c = { sent: 0, adopted: 0, failed: 0, conflicts: 0, bytesSent: 0, bytesVerified: 0 };
  const progress = new SyncProgress({ files: toSend.length, bytes: bytesToSend }, clock, o.emit);
  let stopped: FieldBackupError | undefined;
  let failuresInARow = 0;
  const ctx: PushContext = {
    buffers: {
      small: new BufferPool(SMALL_FILE, o.concurrency),
      large: new BufferPool(LARGE_READ, 4),
    },
    catalog,
    vault,
    archive,
    box,
    clock,
    claims: new Set(),
    pathLocks: new PathLocks(),
    boxName: box.name,
    ...(o.signal === undefined ? {} : { signal: o.signal }),
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
      await writeGeneration(
        vault,
        box,
        { objects: unlisted === undefined ? [] : [unlisted], moves: [move] },
        clock.now(),
      );
    },
  };
  const intents = new IntentLog(vault, box.id, toSend);
  const budget = new ByteBudget(BYTES_IN_FLIGHT);
  await forEachConcurrent(toSend.entries(), o.concurrency, async ([index, obj]) => {
    if (aborted() || stopped !== undefined) return;
    const release = await budget.take(obj.size);
    const before = c.bytesSent;
    try {
      if (aborted() || stopped !== undefined) return;
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
      if (aborted()) return;
      const problem = isFieldBackupError(err)
        ? err
        : vault.problem(err, `cannot sync ${obj.path}`, obj.path);
      if (RUN_FATAL.has(problem.code) || ++failuresInARow >= MAX_FAILURES_IN_A_ROW) {
        stopped ??= problem;
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
    progress.settled(Math.max(0, obj.size - (c.bytesSent - before)));
  });
  if (stopped !== undefined)
    report({
      event: 'error',
      code: stopped.code,
      message: `${stopped.message}; sync stopped`,
      vault: vault.label,
    });
  const interrupted = stopped !== undefined || aborted();
  if (aborted())
    report({
      event: 'warning',
      code: 'E_CANCELLED',
      message: 'sync paused; run it again to resume',
      vault: vault.label,
    });

  let generation: number | null = null;
  let manifestFailed = false;
  try {
    generation = await writeManifest(o, archive, ssds);
    // Everything announced is listed now (or was never placed): the intents have done their job.
    if (!interrupted) await removeIntents(vault, box.id);
  } catch (err) {
    manifestFailed = true;
    const problem = vault.problem(err, "cannot write this box's manifest generation");
    report({ event: 'error', code: problem.code, message: problem.message, vault: vault.label });
  }
  const unsynced = toSend.length - c.sent - c.adopted;
  const done: SyncDoneEvent = {
    event: 'done',
    files,
    sent: c.sent,
    adopted: c.adopted,
    present: files - toSend.length,
    failed: c.failed,
    conflicts: c.conflicts,
    bytesSent: c.bytesSent,
    bytesVerified: c.bytesVerified,
    generation,
    interrupted,
    durationMs: Math.round(clock.monotonicMs() - started),
    exitCode: unsynced === 0 && !interrupted && !manifestFailed ? 0 : 1,
  };
  await catalog.sync.putTarget({
    vaultId: vault.id,
    label: vault.label,
    location: vault.remote.location,
    lastStartedAt: catalog.sync.target(vault.id)?.lastStartedAt ?? clock.now().getTime(),
    lastEndedAt: clock.now().getTime(),
    lastResult: { files, sent: c.sent, bytesSent: c.bytesSent, failed: unsynced, interrupted },
  });
  o.emit(done);
  return done;
}

/** Lists on the NAS what this box has there that its manifest does not list yet. */
async function writeManifest(
  o: RunOptions,
  archive: Archive,
  ssds: Parameters<typeof boxObjects>[1],
): Promise<number | null> {
  const entries: ManifestObject[] = [];
  for (const obj of boxObjects(o.catalog, ssds, o.tierOrder)) {
    const at = archive.object(obj.hash);
    if (at === undefined) continue;
    const files = obj.files.filter((f) => !archive.listed(o.box.id, obj.hash, f));
    if (files.length === 0 && (obj.files.length > 0 || archive.listed(o.box.id, obj.hash)))
      continue;
    entries.push({
      hash: obj.hash,
      size: obj.size,
      path: at.path,
      mtimeMs: at.mtimeMs,
      tier: obj.tier,
      files,
    });
  }
  let generation: number | null = null;
  for (let i = 0; i < entries.length; i += MAX_OBJECTS_PER_GENERATION) {
    const objects = entries.slice(i, i + MAX_OBJECTS_PER_GENERATION);
    generation = await writeGeneration(o.vault, o.box, { objects, moves: [] }, o.clock.now());
    for (const e of objects) archive.list(o.box.id, e);
  }
  return generation;
}
