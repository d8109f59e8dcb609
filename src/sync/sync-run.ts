import type { BoxIdentity, Catalog } from '../catalog/index.js';
import type {
  Clock,
  IngestProblemEvent,
  Logger,
  SyncDoneEvent,
  SyncEvent,
  TierName,
} from '../core/index.js';
import { Archive } from './archive.js';
import { BoxObjects } from './box-objects.js';
import { removeIntents, resolveIntents } from './intents.js';
import { openLocalVaults } from './local-vaults.js';
import { readManifests, writeGeneration, type ManifestObject } from './manifest.js';
import { completeDeclaredMoves } from './moves.js';
import { syncOrder } from './order.js';
import type { RemoteVault } from './remote-vault.js';
import { sendAll, type ToSend } from './send-all.js';

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

type Problem = Omit<IngestProblemEvent, 'event'> & { readonly event: 'warning' | 'error' };

/**
 * One sync with the NAS vault open and locked: clean up after an interrupted run, read the
 * archive (every box's manifests, this box's journal, the intents), send what it lacks,
 * list what this box has there in a new manifest generation.
 */
export async function runSync(o: RunOptions): Promise<SyncDoneEvent> {
  const { catalog, vault, box, clock } = o;
  const started = clock.monotonicMs();
  const report = (p: Problem): void => o.emit(p);
  const recovered = (message: string, path?: string): void =>
    report({
      event: 'warning',
      code: 'E_RECOVERED',
      message,
      vault: vault.label,
      ...(path === undefined ? {} : { path }),
    });
  await catalog.sync.putTarget({
    ...catalog.sync.target(vault.id),
    vaultId: vault.id,
    label: vault.label,
    location: vault.remote.location,
    lastStartedAt: clock.now().getTime(),
  });
  const removed = await vault.removeTemporaries(box.id, clock.now().getTime());
  if (removed > 0) recovered(`${removed} temporaries of an interrupted sync removed from the NAS`);
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
    recovered(
      `${located} objects an interrupted sync placed on the NAS were found and will be listed`,
    );
  await completeDeclaredMoves(vault, archive, recovered);
  const ssds = await openLocalVaults(catalog, o.vaults, (root, why) =>
    report({
      event: 'warning',
      code: 'E_VAULT_MISSING',
      message: `SSD vault ${root} is not available: ${why}`,
      vault: root,
    }),
  );
  const objects = new BoxObjects(catalog, ssds, o.tierOrder);

  let files = 0;
  const plan: (ToSend & { readonly tier: TierName; readonly captureTime: number })[] = [];
  for (const obj of objects.all()) {
    files++;
    if (archive.object(obj.hash) === undefined)
      plan.push({ hash: obj.hash, size: obj.size, tier: obj.tier, captureTime: obj.captureTime });
  }
  plan.sort(syncOrder(o.tierOrder));
  o.emit({
    event: 'start',
    target: vault.remote.location,
    vault: { id: vault.id, label: vault.label },
    box: { id: box.id, name: box.name },
    boxes: archive.boxes.length,
    files,
    toSend: plan.length,
    bytesToSend: plan.reduce((n, x) => n + x.size, 0),
  });

  const c = await sendAll(
    {
      catalog,
      vault,
      archive,
      box,
      objects,
      clock,
      concurrency: o.concurrency,
      signal: o.signal,
      emit: o.emit,
    },
    plan,
  );
  const paused = o.signal?.aborted === true;
  if (c.stopped !== undefined)
    report({
      event: 'error',
      code: c.stopped.code,
      message: `${c.stopped.message}; sync stopped`,
      vault: vault.label,
    });
  if (paused)
    report({
      event: 'warning',
      code: 'E_CANCELLED',
      message: 'sync paused; run it again to resume',
      vault: vault.label,
    });
  const interrupted = c.stopped !== undefined || paused;

  let generation: number | null = null;
  let manifestFailed = false;
  try {
    generation = await writeManifest(o, archive, objects);
    // Everything announced is listed now (or was never placed): the intents have done their job.
    if (!interrupted) await removeIntents(vault, box.id);
  } catch (err) {
    manifestFailed = true;
    const problem = vault.problem(err, "cannot write this box's manifest generation");
    report({ event: 'error', code: problem.code, message: problem.message, vault: vault.label });
  }
  const unsynced = plan.length - c.sent - c.adopted;
  const done: SyncDoneEvent = {
    event: 'done',
    files,
    sent: c.sent,
    adopted: c.adopted,
    present: files - plan.length,
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
  objects: BoxObjects,
): Promise<number | null> {
  const entries: ManifestObject[] = [];
  for (const obj of objects.all()) {
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
    const batch = entries.slice(i, i + MAX_OBJECTS_PER_GENERATION);
    generation = await writeGeneration(
      o.vault,
      o.box,
      { objects: batch, moves: [] },
      o.clock.now(),
    );
    for (const e of batch) archive.list(o.box.id, e);
  }
  return generation;
}
