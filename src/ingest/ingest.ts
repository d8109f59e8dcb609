import type { Catalog } from '../catalog/index.js';
import { EMPTY_COUNTERS } from '../catalog/index.js';
import {
  isFieldBackupError,
  newJobId,
  systemClock,
  type Clock,
  type IngestDoneEvent,
  type IngestEvent,
  type IngestProblemEvent,
  type Source,
  type SourceEntry,
  type SourceWarning,
  type TierName,
} from '../core/index.js';
import type { PlanTagReader } from '../media/index.js';
import { forEachConcurrent, sourceErrorCode, wrapError } from '../platform/index.js';
import { everythingStandard, type TierRule } from '../tiers/index.js';
import type { VaultIo } from '../vault/index.js';
import { PathClaims, type IngestContext } from './context.js';
import { flushMhl } from './mhl-flush.js';
import { planIngest, type PlannedFile } from './plan.js';
import { ProgressMeter } from './progress.js';
import { recoverVault } from './recovery.js';
import { secureFile } from './secure-file.js';
import { fingerprint, resolveSourceId } from './source-identity.js';
import { VaultSet } from './vault-set.js';

export interface IngestOptions {
  readonly source: Source;
  /** Vault roots; each must have been made with `vault init`. */
  readonly vaults: readonly string[];
  readonly catalog: Catalog;
  /** Re-hash every file instead of trusting path + size + mtime for files seen before. */
  readonly paranoid?: boolean;
  /** Files in flight at once (small files gain from 2; large ones are bound by the slowest disk). */
  readonly concurrency?: number;
  readonly clock?: Clock;
  readonly vaultIo?: VaultIo;
  /** Reads capture time, camera and tier facts before copying; without it, mtimes are used. */
  readonly tags?: PlanTagReader;
  readonly tierRule?: TierRule;
  readonly tierOrder?: readonly TierName[];
  /** Stops after the files in flight; the job is recorded as interrupted. */
  readonly signal?: AbortSignal;
  readonly onEvent?: (event: IngestEvent) => void;
}

/**
 * One ingest from start to end: opens and recovers the vaults, enumerates and plans the
 * source, secures every file (tier by tier), writes the ASC MHL generations and reports.
 * Throws only for bad usage (not a vault, vault given twice, vault locked, source missing).
 */
export async function ingest(options: IngestOptions): Promise<IngestDoneEvent> {
  const clock = options.clock ?? systemClock;
  const emit = (e: IngestEvent): void => options.onEvent?.(e);
  const startedMs = clock.monotonicMs();
  const { catalog, source } = options;

  const identityWithoutPrint = await source.identify();
  const warnings: SourceWarning[] = [];
  const entries: SourceEntry[] = [];
  for await (const entry of source.entries((w) => warnings.push(w))) entries.push(entry);

  const vaults = await VaultSet.open(options.vaults, catalog, options.vaultIo);
  try {
    const recoveries = await Promise.all(
      vaults.available().map((v) => recoverVault(v, catalog, clock)),
    );
    const identity = { ...identityWithoutPrint, fingerprint: await fingerprint(source, entries) };
    const sourceId = resolveSourceId(catalog, identity);
    const previous = catalog.source(sourceId);
    const nowMs = clock.now().getTime();
    await catalog.putSource({
      id: sourceId,
      identity,
      firstSeen: previous?.firstSeen ?? nowMs,
      lastSeen: nowMs,
    });

    const plan = await planIngest(entries, {
      tierRule: options.tierRule ?? everythingStandard,
      ...(options.tierOrder === undefined ? {} : { tierOrder: options.tierOrder }),
      ...(options.tags === undefined ? {} : { tags: options.tags }),
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
      source: {
        id: sourceId,
        kind: identity.kind,
        name: identity.name,
        location: identity.location,
      },
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
    for (const r of recoveries.filter((r) => r.adopted + r.quarantined + r.temporaries > 0)) {
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
      claims: new PathClaims(),
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
    const allVaults = (): ReturnType<VaultSet['status']> => vaults.status(catalog);

    const secureOne = async (file: PlannedFile): Promise<void> => {
      if (options.signal?.aborted === true) return;
      try {
        const secured = await secureFile(ctx, file);
        counts[secured.outcome]++;
        counts.bytesWritten += secured.bytesWritten;
        const status = allVaults();
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

    // Tier by tier: every file of a tier is secured before the next tier's first byte is written.
    for (const tierFiles of groupByTier(plan)) {
      await forEachConcurrent(tierFiles, options.concurrency ?? 2, secureOne);
    }

    const interrupted = options.signal?.aborted === true;
    if (interrupted)
      report({
        event: 'error',
        code: 'E_CANCELLED',
        message: 'ingest stopped before every file was secured',
      });
    for (const vault of vaults.available()) {
      try {
        await flushMhl(vault, catalog, clock, `ingest ${jobId} of ${identity.name}`);
      } catch (err) {
        const problem = vault.problem(err, 'cannot write the ASC MHL generation');
        report({
          event: 'error',
          code: problem.code,
          message: problem.message,
          vault: vault.label,
        });
      }
    }
    const job = catalog.job(jobId);
    if (job !== undefined)
      await catalog.putJob({
        ...job,
        state: interrupted ? 'interrupted' : 'finished',
        endedAt: clock.now().getTime(),
      });
    await catalog.flushed();

    const status = allVaults();
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
  } finally {
    await vaults.release();
  }
}

function groupByTier(plan: readonly PlannedFile[]): PlannedFile[][] {
  const groups: PlannedFile[][] = [];
  for (const file of plan) {
    const last = groups.at(-1);
    if (last !== undefined && last[0]?.tier === file.tier) last.push(file);
    else groups.push([file]);
  }
  return groups;
}
