import { EMPTY_COUNTERS } from '../catalog/index.js';
import {
  isFieldBackupError,
  newJobId,
  type IngestDoneEvent,
  type IngestEvent,
  type IngestProblemEvent,
  type JobId,
  type Source,
  type SourceEntry,
  type SourceId,
  type SourceIdentity,
  type SourceWarning,
} from '../core/index.js';
import { sourceErrorCode, wrapError } from '../platform/index.js';
import type { IngestContext, JobHost } from './context.js';
import { JobFiles, type PlannedLine } from './job-files.js';
import { statusOfJob } from './job-status.js';
import { planIngest, type PlannedFile } from './plan.js';
import { ProgressMeter } from './progress.js';
import { recoveryEvents } from './recovery.js';
import { secureFile } from './secure-file.js';
import { fingerprint, resolveSourceId } from './source-identity.js';

export interface JobOptions {
  /** Re-hash every file instead of trusting path + size + mtime for files seen before. */
  readonly paranoid?: boolean;
  /** Stops after the files in flight; the job is recorded as interrupted. */
  readonly signal?: AbortSignal;
  readonly onEvent?: (event: IngestEvent) => void;
}

/** A whole source: enumerate it, then secure every file. */
export async function runJob(
  host: JobHost,
  source: Source,
  options: JobOptions,
): Promise<IngestDoneEvent> {
  const identity = await source.identify();
  const warnings: SourceWarning[] = [];
  const entries: SourceEntry[] = [];
  for await (const entry of source.entries((w) => warnings.push(w))) entries.push(entry);
  const job = await Job.start(
    host,
    source,
    { ...identity, fingerprint: await fingerprint(source, entries) },
    entries,
    options,
  );
  for (const w of warnings)
    job.report({ event: 'warning', code: w.code, message: w.message, path: w.path });
  await job.add(entries);
  return job.finish();
}

/**
 * One job of a session: a source's files, planned and queued by tier as they come (all at
 * once for a card, one by one for a tethered camera), with its own counters, events, job
 * record and ASC MHL generation when it finishes.
 */
export class Job {
  private readonly counts = {
    copied: 0,
    deduplicated: 0,
    unchanged: 0,
    failed: 0,
    degraded: 0,
    waiting: 0,
    bytesWritten: 0,
  };
  private files = 0;
  private outstanding = 0;
  private idle: (() => void) | undefined;
  private readonly startedMs: number;
  private tempSeq = 0;
  private readonly ctx: IngestContext;
  private readonly lines: JobFiles;
  private readonly warned = new Set<string>();

  private constructor(
    private readonly host: JobHost,
    readonly id: JobId,
    readonly sourceId: SourceId,
    private readonly identity: SourceIdentity,
    private readonly meter: ProgressMeter,
    private readonly options: JobOptions,
    source: Source,
  ) {
    this.startedMs = host.clock.monotonicMs();
    const started = host.vaults.available().map((v) => ({ id: v.id, label: v.label }));
    this.lines = new JobFiles(host.catalog, id, host.tiers, started);
    this.ctx = {
      catalog: host.catalog,
      source,
      sourceId,
      sourceName: identity.name,
      jobId: id,
      vaults: host.vaults,
      paranoid: options.paranoid === true,
      clock: host.clock,
      claims: host.claims,
      tiers: host.tiers,
      space: host.space,
      economy: host.economy,
      report: (p) => this.report(p),
      warnOnce: (key, p) => {
        if (this.warned.has(key)) return;
        this.warned.add(key);
        this.report(p);
      },
      onBytesRead: (n) => meter.addBytes(n),
      nextTempName: () => `${id}-${++this.tempSeq}.part`,
    };
    options.signal?.addEventListener('abort', () => this.cancelQueued(), { once: true });
  }

  /** Records the source and the job and emits `start`; `known` are the files known so far. */
  static async start(
    host: JobHost,
    source: Source,
    identity: SourceIdentity,
    known: readonly SourceEntry[],
    options: JobOptions,
  ): Promise<Job> {
    const { catalog, clock, vaults } = host;
    const sourceId = resolveSourceId(catalog, identity);
    const nowMs = clock.now().getTime();
    await catalog.putSource({
      id: sourceId,
      identity,
      firstSeen: catalog.source(sourceId)?.firstSeen ?? nowMs,
      lastSeen: nowMs,
    });
    const totalBytes = known.reduce((n, e) => n + e.size, 0);
    const id = newJobId(clock.now());
    await catalog.putJob({
      id,
      sourceId,
      sourceLocation: identity.location,
      vaults: vaults.available().map((v) => v.id),
      state: 'running',
      startedAt: nowMs,
      totalFiles: known.length,
      totalBytes,
      done: EMPTY_COUNTERS,
    });
    const emit = (e: IngestEvent): void => options.onEvent?.(e);
    const meter = new ProgressMeter(0, 0, clock, emit);
    const job = new Job(host, id, sourceId, identity, meter, options, source);
    emit({
      event: 'start',
      jobId: id,
      source: {
        id: sourceId,
        kind: identity.kind,
        name: identity.name,
        location: identity.location,
      },
      vaults: vaults.status(catalog),
      files: known.length,
      bytes: totalBytes,
    });
    for (const problem of vaults.initialProblems()) {
      job.report({
        event: 'error',
        code: problem.code,
        message: `${problem.message}; continuing without it`,
        vault: problem.subject.vault ?? '',
      });
    }
    for (const r of host.takeRecoveries()) for (const e of recoveryEvents(r)) job.report(e);
    return job;
  }

  report(problem: IngestProblemEvent): void {
    this.options.onEvent?.(problem);
  }

  /** Plans files and queues them by tier; resolves when all of them are secured or failed. */
  async add(entries: readonly SourceEntry[]): Promise<void> {
    if (entries.length === 0) return;
    this.files += entries.length;
    this.outstanding += entries.length;
    this.meter.addTotals(
      entries.length,
      entries.reduce((n, e) => n + e.size, 0),
    );
    const source = this.ctx.source;
    const tiers = this.host.tiers;
    let plan: PlannedFile[];
    try {
      plan = await planIngest(entries, {
        tierRule: tiers.decide,
        tierOrder: tiers.order,
        ...(this.host.tags === undefined ? {} : { tags: this.host.tags }),
        ...(source.localPath === undefined ? {} : { localPath: source.localPath.bind(source) }),
      });
    } catch (err) {
      // A tier rule plugged in through the API threw: these files are reported, never lost silently.
      const lines = entries.map((entry) => ({
        entry,
        captureKey: entry.relPath,
        tier: tiers.defaultTier,
      }));
      await this.abandon(lines, 'E_CONFIG', `cannot plan these files: ${String(err)}`);
      return;
    }
    try {
      await this.lines.plan(plan);
    } catch (err) {
      await this.abandon(
        plan,
        'E_CATALOG',
        `cannot record these files in the catalog: ${String(err)}`,
      );
      return;
    }
    await Promise.all(
      plan.map(
        (file) =>
          new Promise<void>((resolve) => {
            const skip = (): void => {
              this.settle();
              resolve();
            };
            const stopped = (): void => {
              this.lines
                .notCopied(
                  file.entry.relPath,
                  'failed',
                  'the ingest was stopped before it was copied',
                )
                .finally(skip)
                .catch(() => undefined);
            };
            if (this.options.signal?.aborted === true) {
              stopped();
              return;
            }
            const run = async (): Promise<void> => {
              try {
                await this.secureOne(file);
              } finally {
                skip();
              }
            };
            this.host.scheduler.submit(tiers.rank(file.tier), this, run, stopped);
          }),
      ),
    );
  }

  /** Waits for every added file, writes the ASC MHL generations, closes the job record, emits `done`. */
  async finish(): Promise<IngestDoneEvent> {
    const { catalog, clock, vaults } = this.host;
    if (this.outstanding > 0) await new Promise<void>((resolve) => (this.idle = resolve));
    const interrupted = this.options.signal?.aborted === true;
    if (interrupted)
      this.report({
        event: 'error',
        code: 'E_CANCELLED',
        message: 'ingest stopped before every file was secured',
      });
    await this.host.writeMhl(`ingest ${this.id} of ${this.identity.name}`, (vault, err) => {
      this.report({
        event: 'error',
        code: 'E_IO',
        message: `vault ${vault}: cannot write the ASC MHL generation: ${String(err)}`,
        vault,
      });
    });
    const record = catalog.job(this.id);
    if (record !== undefined) {
      await catalog.putJob({
        ...record,
        totalFiles: this.files,
        state: interrupted ? 'interrupted' : 'finished',
        endedAt: clock.now().getTime(),
      });
    }
    await catalog.flushed();
    const c = this.counts;
    const status = vaults.status(catalog);
    const notDone = this.files - c.copied - c.deduplicated - c.unchanged - c.failed - c.waiting;
    const tiers = statusOfJob(catalog, this.id);
    const safeToFormat = tiers?.safeToFormat === true;
    const done: IngestDoneEvent = {
      event: 'done',
      jobId: this.id,
      files: this.files,
      copied: c.copied,
      deduplicated: c.deduplicated,
      unchanged: c.unchanged,
      failed: c.failed + notDone,
      degraded: c.degraded,
      waiting: c.waiting,
      bytesWritten: c.bytesWritten,
      bytesRead: this.meter.bytesRead,
      durationMs: Math.round(clock.monotonicMs() - this.startedMs),
      vaults: status,
      tiers: tiers?.tiers ?? [],
      short: tiers?.short ?? [],
      notCopied: tiers?.notCopied ?? [],
      safeToFormat,
      exitCode: safeToFormat && notDone === 0 && status.every((v) => v.available) ? 0 : 1,
    };
    this.options.onEvent?.(done);
    return done;
  }

  /** Files that cannot be queued: each is reported and counted as failed, and the job goes on. */
  private async abandon(
    files: readonly PlannedLine[],
    code: 'E_CONFIG' | 'E_CATALOG',
    reason: string,
  ): Promise<void> {
    await this.lines.plan(files, reason).catch(() => undefined);
    for (const f of files) {
      this.report({ event: 'error', code, message: reason, path: f.entry.relPath });
      this.settle();
    }
  }

  private settle(): void {
    if (--this.outstanding === 0) this.idle?.();
  }

  private cancelQueued(): void {
    this.host.scheduler.cancel(this);
  }

  private async secureOne(file: PlannedFile): Promise<void> {
    const { catalog, vaults } = this.host;
    const emit = (e: IngestEvent): void => this.options.onEvent?.(e);
    const relPath = file.entry.relPath;
    try {
      const secured = await secureFile(this.ctx, file);
      this.counts[secured.outcome]++;
      this.counts.bytesWritten += secured.bytesWritten;
      const status = vaults.status(catalog);
      const missing = status.filter((v) => !secured.copies.has(v.id)).map((v) => v.label);
      const state = await this.lines.copied(
        file,
        secured.hash,
        secured.shortfalls,
        this.host.economy?.copiesFor(secured.hash),
      );
      if (state !== 'secured') {
        this.counts.degraded++;
        await catalog.countJob(this.id, { degraded: 1 });
      }
      this.host.indexer?.add({
        sourceId: this.sourceId,
        jobId: this.id,
        relPath: file.entry.relPath,
        hash: secured.hash,
        tier: file.tier,
        outcome: secured.outcome,
        copies: vaults
          .available()
          .filter((v) => secured.copies.has(v.id))
          .map((v) => v.photoPath(secured.copies.get(v.id) ?? '')),
      });
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
      if (isFieldBackupError(err, 'E_LOW_SPACE')) {
        // Not a failure: the tier's policy keeps it on the card until a vault has room.
        this.counts.waiting++;
        await this.lines.notCopied(relPath, 'waiting', err.message);
        this.report({
          event: 'warning',
          code: err.code,
          message: `not copied, ${err.message}`,
          path: relPath,
        });
        this.meter.fileDone();
        return;
      }
      // Whatever went wrong with this file (a plugged-in Source may throw anything), the rest goes on.
      const problem = isFieldBackupError(err)
        ? err
        : wrapError(err, sourceErrorCode(err), `cannot back up ${relPath}`, { path: relPath });
      this.counts.failed++;
      await catalog.countJob(this.id, { failed: 1 });
      await this.lines.notCopied(relPath, 'failed', problem.message);
      this.report({ event: 'error', code: problem.code, message: problem.message, path: relPath });
    }
    this.meter.fileDone();
  }
}
