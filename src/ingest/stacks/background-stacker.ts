import {
  CaptureStore,
  captureIdOf,
  StacksStore,
  type Catalog,
  type StackRecord,
} from '../../catalog/index.js';
import {
  errorMessage,
  silentLogger,
  systemClock,
  type Clock,
  type ContentHash,
  type JobId,
  type Logger,
  type SourceId,
  type StackEvent,
} from '../../core/index.js';
import {
  imageOfCapture,
  type HintReader,
  type PreviewSource,
  type SimilarityProfile,
} from '../../media/similarity/index.js';
import type { EconomyLookup } from '../context.js';
import type { FileIndexer, SecuredFileNotice } from '../metadata-indexer.js';
import { captureKeyOf } from '../plan.js';
import type { EconomyPolicy } from './config.js';
import { applyEconomy } from './economy.js';
import { stackCaptures, type CaptureToStack } from './stack-captures.js';

export interface BackgroundStackerOptions {
  readonly catalog: Catalog;
  readonly profile: SimilarityProfile;
  /** Pixels from the vault copies (never the card). */
  readonly previews: PreviewSource;
  readonly hints?: HintReader;
  /** The stack economy, and the vaults it may remove copies from. */
  readonly economy?: { readonly policy: EconomyPolicy; readonly vaults: readonly string[] };
  /** Images decoded at once; 1 by default, so copying and indexing keep the CPU. */
  readonly concurrency?: number;
  readonly clock?: Clock;
  readonly logger?: Logger;
  readonly onEvent?: (event: StackEvent) => void;
}

interface JobFiles {
  readonly sourceId: SourceId;
  readonly files: Map<string, { readonly hash: ContentHash; readonly copies: readonly string[] }>;
}

/**
 * Finds the stacks of each job from the secured files' vault copies, after the copies are
 * safe: `add()` only remembers the file (nothing is decoded while a card is being copied), and
 * `drain()` looks at every job that got files, records its stacks in the catalog (replacing
 * the job's earlier ones, so a tethered job that grows is stacked again), sets the `stack`
 * facet of each capture (`stack:burst`, `stack:bracket`, `stack:pick` in search), and applies
 * the stack economy when it is on. Drain after the metadata indexer: facets go on indexed
 * captures.
 */
export class BackgroundStacker implements FileIndexer {
  readonly stacks: StacksStore;
  private readonly captures: CaptureStore;
  private readonly jobs = new Map<JobId, JobFiles>();
  private readonly dirty = new Set<JobId>();
  private marks: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: BackgroundStackerOptions) {
    this.stacks = new StacksStore(options.catalog);
    this.captures = new CaptureStore(options.catalog);
  }

  private get clock(): Clock {
    return this.options.clock ?? systemClock;
  }

  add(file: SecuredFileNotice): void {
    const jobId = file.jobId ?? this.options.catalog.file(file.sourceId, file.relPath)?.jobId;
    if (jobId === undefined || file.copies.length === 0) return;
    let job = this.jobs.get(jobId);
    if (job === undefined) {
      job = { sourceId: file.sourceId, files: new Map() };
      this.jobs.set(jobId, job);
    }
    job.files.set(file.relPath, { hash: file.hash, copies: file.copies });
    if (!this.dirty.has(jobId)) {
      this.dirty.add(jobId);
      // The status says "still being looked for" until drain() is done with the job.
      const mark = this.stacks.pending(
        jobId,
        this.options.profile.name,
        this.clock.now().getTime(),
      );
      this.marks = this.marks.then(() => mark).catch((err: unknown) => this.log(err));
    }
  }

  /** What ingest asks so that single-copy frames are not copied back (when the economy is on). */
  economyLookup(): EconomyLookup | undefined {
    const economy = this.options.economy;
    if (economy === undefined || economy.policy.mode === 'off') return undefined;
    return { copiesFor: (hash) => this.stacks.economyOf(hash)?.copies };
  }

  /** Looks at every job that got files since the last drain; one event per job. */
  async drain(): Promise<void> {
    await this.marks;
    for (const jobId of [...this.dirty]) {
      this.dirty.delete(jobId);
      const job = this.jobs.get(jobId) as JobFiles;
      try {
        await this.stackJob(jobId, job);
      } catch (err) {
        const reason = errorMessage(err);
        this.log(err);
        await this.stacks.failed(
          jobId,
          this.options.profile.name,
          reason,
          this.clock.now().getTime(),
        );
        this.options.onEvent?.({ event: 'stacks-failed', jobId, reason });
      }
    }
  }

  private async stackJob(jobId: JobId, job: JobFiles): Promise<void> {
    const started = this.clock.monotonicMs();
    const byCapture = new Map<string, string[]>();
    for (const relPath of job.files.keys()) {
      const key = captureKeyOf(relPath);
      byCapture.set(key, [...(byCapture.get(key) ?? []), relPath]);
    }
    const captures: CaptureToStack[] = [];
    for (const [captureKey, relPaths] of byCapture) {
      const image = imageOfCapture(relPaths);
      const copy = image === undefined ? undefined : job.files.get(image)?.copies[0];
      if (copy !== undefined) captures.push({ captureKey, files: relPaths.sort(), image: copy });
    }
    let skipped = 0;
    const { stacks, frames } = await stackCaptures(captures, {
      profile: this.options.profile,
      previews: this.options.previews,
      ...(this.options.hints === undefined ? {} : { hints: this.options.hints }),
      concurrency: this.options.concurrency ?? 1,
      onProblem: () => skipped++,
    });
    const records: StackRecord[] = stacks.map((s, n) => ({
      jobId,
      no: n + 1,
      kind: s.kind,
      pick: s.members.indexOf(s.pick),
      frames: s.members.map((m) => {
        const c = captures[m] as CaptureToStack;
        const frame = frames[m];
        return {
          captureKey: c.captureKey,
          files: c.files.map((relPath) => ({
            relPath,
            hash: (job.files.get(relPath) as { hash: ContentHash }).hash,
          })),
          ...(frame?.hints.rating === undefined ? {} : { rating: frame.hints.rating }),
          ...(frame?.features === undefined ? {} : { focus: frame.features.focus }),
        };
      }),
    }));
    const before = [...this.stacks.stacksOf(jobId)].flatMap((s) =>
      s.frames.map((f) => f.captureKey),
    );
    await this.stacks.record(jobId, records, {
      profile: this.options.profile.name,
      analysed: captures.length,
      skipped,
      at: this.clock.now().getTime(),
    });
    await this.setFacets(job.sourceId, records, before);
    this.options.onEvent?.({
      event: 'stacks',
      jobId,
      bursts: records.filter((r) => r.kind === 'burst').length,
      brackets: records.filter((r) => r.kind === 'bracket').length,
      frames: records.reduce((n, r) => n + r.frames.length, 0),
      analysed: captures.length,
      skipped,
      durationMs: Math.round(this.clock.monotonicMs() - started),
    });
    const economy = this.options.economy;
    if (economy !== undefined && economy.policy.mode !== 'off' && records.length > 0) {
      const result = await applyEconomy(jobId, job.sourceId, records, {
        catalog: this.options.catalog,
        policy: economy.policy,
        vaults: economy.vaults,
        clock: this.clock,
      });
      this.options.onEvent?.({ event: 'economy', jobId, ...result });
    }
  }

  /** `stack` facet: the kind, and `pick` on the pick; cleared on captures no longer stacked. */
  private async setFacets(
    sourceId: SourceId,
    records: readonly StackRecord[],
    before: readonly string[],
  ): Promise<void> {
    const now = this.clock.now().getTime();
    const values = new Map<string, string[]>(before.map((k) => [k, []]));
    for (const r of records)
      r.frames.forEach((f, i) =>
        values.set(f.captureKey, i === r.pick ? [r.kind, 'pick'] : [r.kind]),
      );
    for (const [key, v] of values)
      await this.captures.setFacet(captureIdOf(sourceId, key), 'stack', v, now);
  }

  private log(err: unknown): void {
    (this.options.logger ?? silentLogger).log('error', `stack detection: ${errorMessage(err)}`);
  }
}

/** Hands every secured file to several indexers (metadata, then stacks). */
export function allIndexers(...indexers: readonly FileIndexer[]): FileIndexer {
  return { add: (file) => indexers.forEach((i) => i.add(file)) };
}
