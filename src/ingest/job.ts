import { EMPTY_COUNTERS } from '../catalog/index.js';
import {
  isFieldBackupError,
  newJobId,
  type IngestDoneEvent,
  type IngestEvent,
  type IngestProblemEvent,
  type Source,
  type SourceEntry,
  type SourceWarning,
} from '../core/index.js';
import { sourceErrorCode, wrapError } from '../platform/index.js';
import { tierRank } from '../tiers/index.js';
import type { IngestContext, JobHost } from './context.js';
import { planIngest, type PlannedFile } from './plan.js';
import { ProgressMeter } from './progress.js';
import { secureFile } from './secure-file.js';
import { fingerprint, resolveSourceId } from './source-identity.js';

export interface JobOptions {
  /** Re-hash every file instead of trusting path + size + mtime for files seen before. */
  readonly paranoid?: boolean;
  /** Stops after the files in flight; the job is recorded as interrupted. */
  readonly signal?: AbortSignal;
  readonly onEvent?: (event: IngestEvent) => void;
}

/**
 * One source from start to end inside a session: enumerate, identify, plan, queue every file
 * by tier, wait for them, write the ASC MHL generations, report.
 */
export async function runJob(
  session: JobHost,
  source: Source,
  options: JobOptions,
): Promise<IngestDoneEvent> {
  const { catalog, clock, vaults } = session;
  const emit = (e: IngestEvent): void => options.onEvent?.(e);
  const startedMs = clock.monotonicMs();

  const identityWithoutPrint = await source.identify();
  const warnings: SourceWarning[] = [];
  const entries: SourceEntry[] = [];
  for await (const entry of source.entries((w) => warnings.push(w))) entries.push(entry);
  const identity = { ...identityWithoutPrint, fingerprint: await fingerprint(source, entries) };
  const sourceId = resolveSourceId(catalog, identity);
  const nowMs = clock.now().getTime();
  await catalog.putSource({
    id: sourceId,
    identity,
    firstSeen: catalog.source(sourceId)?.firstSeen ?? nowMs,
    lastSeen: nowMs,
  });

  const plan = await planIngest(entries, {
    tierRule: session.tierRule,
    ...(session.tierOrder === undefined ? {} : { tierOrder: session.tierOrder }),
    ...(session.tags === undefined ? {} : { tags: session.tags }),
    ...(source.localPath === undefined ? {} : { localPath: source.localPath.bind(source) }),
  });
  const totalBytes = entries.reduce((n, e) => n + e.size, 0);
  const jobId = newJobId(clock.now());
  await catalog.putJob({
    id: jobId,
    sourceId,
    sourceLocation: identity.location,
    vaults: vaults.available().map((v) => v.id),
    state: 'running',
    startedAt: nowMs,
    totalFiles: entries.length,
    totalBytes,
    done: EMPTY_COUNTERS,
  });
  emit({
    event: 'start',
    jobId,
    source: { id: sourceId, kind: identity.kind, name: identity.name, location: identity.location },
    vaults: vaults.status(catalog),
    files: entries.length,
    bytes: totalBytes,
  });
  const report = (p: IngestProblemEvent): void => emit(p);
  for (const problem of vaults.initialProblems()) {
    report({
      event: 'error',
      code: problem.code,
      message: `${problem.message}; continuing without it`,
      vault: problem.subject.vault ?? '',
    });
  }
  for (const w of warnings)
    report({ event: 'warning', code: w.code, message: w.message, path: w.path });
  for (const r of session
    .takeRecoveries()
    .filter((r) => r.adopted + r.quarantined + r.temporaries > 0)) {
    report({
      event: 'warning',
      code: 'E_RECOVERED',
      message: `vault ${r.vault} recovered from an interruption: ${r.adopted} copies adopted, ${r.quarantined} moved to quarantine, ${r.temporaries} temporaries removed`,
      vault: r.vault,
    });
  }

  const meter = new ProgressMeter(entries.length, totalBytes, clock, emit);
  let tempSeq = 0;
  const ctx: IngestContext = {
    catalog,
    source,
    sourceId,
    sourceName: identity.name,
    jobId,
    vaults,
    paranoid: options.paranoid === true,
    clock,
    claims: session.claims,
    report,
    onBytesRead: (n) => meter.addBytes(n),
    nextTempName: () => `${jobId}-${++tempSeq}.part`,
  };
  const counts = {
    copied: 0,
    deduplicated: 0,
    unchanged: 0,
    failed: 0,
    degraded: 0,
    bytesWritten: 0,
  };

  const secureOne = async (file: PlannedFile): Promise<void> => {
    try {
      const secured = await secureFile(ctx, file);
      counts[secured.outcome]++;
      counts.bytesWritten += secured.bytesWritten;
      const status = vaults.status(catalog);
      const missing = status.filter((v) => !secured.copies.has(v.id)).map((v) => v.label);
      if (missing.length > 0) {
        counts.degraded++;
        await catalog.countJob(jobId, { degraded: 1 });
      }
      emit({
        event: 'file',
        path: file.entry.relPath,
        hash: secured.hash,
        bytes: file.entry.size,
        tier: file.tier,
        outcome: secured.outcome,
        copies: status
          .filter((v) => secured.copies.has(v.id))
          .map((v) => ({ vault: v.label, path: secured.copies.get(v.id) ?? '' })),
        missing,
      });
    } catch (err) {
      // Whatever went wrong with this file (a plugged-in Source may throw anything), the rest goes on.
      const problem = isFieldBackupError(err)
        ? err
        : wrapError(err, sourceErrorCode(err), `cannot back up ${file.entry.relPath}`, {
            path: file.entry.relPath,
          });
      counts.failed++;
      await catalog.countJob(jobId, { failed: 1 });
      report({
        event: 'error',
        code: problem.code,
        message: problem.message,
        path: file.entry.relPath,
      });
    }
    meter.fileDone();
  };

  await new Promise<void>((resolve) => {
    let left = plan.length;
    if (left === 0) resolve();
    const finished = (): void => {
      if (--left === 0) resolve();
    };
    const cancel = (): void => {
      for (let n = session.scheduler.cancel(ctx); n > 0; n--) finished();
    };
    options.signal?.addEventListener('abort', cancel, { once: true });
    for (const file of plan) {
      session.scheduler.submit(tierRank(file.tier, session.tierOrder), ctx, async () => {
        try {
          await secureOne(file);
        } finally {
          finished();
        }
      });
    }
    if (options.signal?.aborted === true) cancel();
  });

  const interrupted = options.signal?.aborted === true;
  if (interrupted)
    report({
      event: 'error',
      code: 'E_CANCELLED',
      message: 'ingest stopped before every file was secured',
    });
  await session.writeMhl(`ingest ${jobId} of ${identity.name}`, (vault, err) => {
    report({
      event: 'error',
      code: 'E_IO',
      message: `vault ${vault}: cannot write the ASC MHL generation: ${String(err)}`,
      vault,
    });
  });
  const job = catalog.job(jobId);
  if (job !== undefined)
    await catalog.putJob({
      ...job,
      state: interrupted ? 'interrupted' : 'finished',
      endedAt: clock.now().getTime(),
    });
  await catalog.flushed();

  const status = vaults.status(catalog);
  const notDone =
    entries.length - counts.copied - counts.deduplicated - counts.unchanged - counts.failed;
  const done: IngestDoneEvent = {
    event: 'done',
    jobId,
    files: entries.length,
    copied: counts.copied,
    deduplicated: counts.deduplicated,
    unchanged: counts.unchanged,
    failed: counts.failed + notDone,
    degraded: counts.degraded,
    bytesWritten: counts.bytesWritten,
    bytesRead: meter.bytesRead,
    durationMs: Math.round(clock.monotonicMs() - startedMs),
    vaults: status,
    exitCode:
      counts.failed + notDone + counts.degraded === 0 && status.every((v) => v.available) ? 0 : 1,
  };
  emit(done);
  return done;
}
