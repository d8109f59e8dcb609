import { isDeepStrictEqual } from 'node:util';
import {
  CaptureStore,
  captureIdOf,
  StacksStore,
  type CaptureId,
  type Catalog,
  type StackRecord,
} from '../../catalog/index.js';
import {
  errorMessage,
  FieldBackupError,
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
  analyseFrames,
  detectStacks,
  type AnalysedFrame,
  type HintReader,
  type PreviewSource,
  type SimilarityProfile,
} from '../../media/similarity/index.js';
import type { EconomyLookup } from '../context.js';
import type { FileIndexer, SecuredFileNotice } from '../metadata-indexer.js';
import { captureKeyOf } from '../plan.js';
import type { EconomyPolicy } from './config.js';
import { applyEconomy } from './economy.js';
import { FrameCache } from './frame-cache.js';
import { capturesOf, frameRecord, type Capture, type JobFiles } from './job-captures.js';
import { capturesToRegroup, numberStacks } from './stack-region.js';

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

/** Frames kept decoded for the next look at a growing job (about 22 KB each). */
const FRAME_CACHE = 256;
/** Frames decoded between two checks for a shutdown. */
const LOOK_BATCH = 8;
/** Jobs whose files are remembered, to stack them again as they grow. */
const JOBS_KEPT = 16;

/**
 * Finds the stacks of each job from the secured files' vault copies, after the copies are
 * safe: `add()` only remembers the file (nothing is decoded while a card is being copied), and
 * `drain()` looks at every job that got files, records its stacks in the catalog, sets the
 * `stack` facet of each capture (`stack:burst`, `stack:bracket`, `stack:pick` in search), and
 * applies the stack economy when it is on. A job that grows after a drain (tethering: shot by
 * shot) is looked at again incrementally: only its new frames are decoded, and only the runs
 * of frames they fall in are regrouped (capturesToRegroup); its other stacks stay. Drain after
 * the metadata indexer: facets go on indexed captures.
 */
export class BackgroundStacker implements FileIndexer {
  readonly stacks: StacksStore;
  private readonly captures: CaptureStore;
  private readonly jobs = new Map<JobId, JobFiles>();
  private readonly dirty = new Set<JobId>();
  private readonly frames = new FrameCache(FRAME_CACHE);
  private marks: Promise<unknown> = Promise.resolve();
  private cancelled: string | undefined;

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
      job = { sourceId: file.sourceId, files: new Map(), fresh: new Set(), looked: new Map() };
      this.forgetOldJobs();
    }
    // Latest last: the jobs forgotten first are those that got no file for longest.
    this.jobs.delete(jobId);
    this.jobs.set(jobId, job);
    job.files.set(file.relPath, { hash: file.hash, copies: file.copies });
    job.fresh.add(captureKeyOf(file.relPath));
    if (!this.dirty.has(jobId)) {
      this.dirty.add(jobId);
      this.markPending(jobId);
    }
  }

  /**
   * A box runs for days: the files of jobs that stopped growing (cards done, cameras gone) are
   * not kept for ever. A forgotten job that gets files again is stacked from those on.
   */
  private forgetOldJobs(): void {
    for (const jobId of this.jobs.keys()) {
      if (this.jobs.size < JOBS_KEPT) return;
      if (!this.dirty.has(jobId)) this.jobs.delete(jobId);
    }
  }

  /** The status says "still being looked for" until drain() is done with the job. */
  private markPending(jobId: JobId): void {
    const mark = this.stacks.pending(jobId, this.options.profile.name, this.clock.now().getTime());
    this.marks = this.marks.then(() => mark).catch((err: unknown) => this.log(err));
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
      const fresh = job.fresh;
      job.fresh = new Set();
      try {
        await this.stackJob(jobId, job, fresh);
      } catch (err) {
        // Looked at again with the next frame, or by the next drain.
        for (const key of fresh) job.fresh.add(key);
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
      // Frames that arrived meanwhile: the status says so until the next drain.
      if (this.dirty.has(jobId)) this.markPending(jobId);
    }
  }

  /**
   * Stops looking (shutdown): a drain in progress stops after the few frames it is decoding,
   * and it and every later drain record the jobs not looked at as failed, with `reason`, so the
   * status never says "still being looked for" about a job nothing looks at any more.
   */
  cancel(reason: string): void {
    this.cancelled = reason;
  }

  private checkCancelled(): void {
    if (this.cancelled !== undefined) throw new FieldBackupError('E_CANCELLED', this.cancelled);
  }

  private async stackJob(jobId: JobId, job: JobFiles, fresh: ReadonlySet<string>): Promise<void> {
    this.checkCancelled();
    const started = this.clock.monotonicMs();
    const captures = capturesOf(job);
    const seen = await this.look(
      [...fresh].flatMap((key) => {
        const c = captures.get(key);
        return c === undefined || job.looked.get(key)?.image === c.imageHash ? [] : [c];
      }),
      job,
    );
    const before = [...this.stacks.stacksOf(jobId)];
    const times = new Map([...captures.keys()].map((k) => [k, job.looked.get(k)?.time]));
    const region = capturesToRegroup(
      times,
      fresh,
      before,
      this.options.profile.maxGapSeconds * 1000,
    );
    const regroup = [...captures.values()].filter((c) => region.has(c.captureKey));
    const known = (c: Capture): AnalysedFrame | undefined =>
      seen.get(c.imageHash) ?? this.frames.get(c.imageHash);
    // Frames of the region decoded earlier and no longer kept are decoded again.
    const again = await this.look(
      regroup.filter((c) => known(c) === undefined),
      job,
    );
    const frames = regroup.map((c) => known(c) ?? (again.get(c.imageHash) as AnalysedFrame));
    const found = detectStacks(frames, this.options.profile).map((s) => ({
      jobId,
      kind: s.kind,
      pick: s.members.indexOf(s.pick),
      frames: s.members.map((m) => frameRecord(regroup[m] as Capture, frames[m], job)),
    }));
    const kept = before.filter((s) => !s.frames.some((f) => region.has(f.captureKey)));
    const records = numberStacks([...kept, ...found], (key) => job.looked.get(key)?.time);
    const skipped = [...captures.keys()].filter((k) => job.looked.get(k)?.decoded !== true).length;
    await this.stacks.record(jobId, records, {
      profile: this.options.profile.name,
      analysed: captures.size,
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
      analysed: captures.size,
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

  /** Decodes the captures' images and reads their hints; remembers what it saw. */
  private async look(
    captures: readonly Capture[],
    job: JobFiles,
  ): Promise<Map<ContentHash, AnalysedFrame>> {
    const seen = new Map<ContentHash, AnalysedFrame>();
    // A few at a time, so that a shutdown waits for a few frames, not for a whole card.
    for (let at = 0; at < captures.length; at += LOOK_BATCH) {
      this.checkCancelled();
      const batch = captures.slice(at, at + LOOK_BATCH);
      const frames = await analyseFrames(
        batch.map((c) => c.image),
        {
          previews: this.options.previews,
          ...(this.options.hints === undefined ? {} : { hints: this.options.hints }),
          concurrency: this.options.concurrency ?? 1,
        },
      );
      batch.forEach((c, i) => {
        const frame = frames[i] as AnalysedFrame;
        seen.set(c.imageHash, frame);
        this.frames.set(c.imageHash, frame);
        const time = frame.hints.captureTime;
        job.looked.set(c.captureKey, {
          image: c.imageHash,
          decoded: frame.features !== undefined,
          ...(time === undefined ? {} : { time }),
        });
      });
    }
    return seen;
  }

  /** `stack` facet: the kind, and `pick` on the pick; cleared on captures no longer stacked. */
  private async setFacets(
    sourceId: SourceId,
    records: readonly StackRecord[],
    before: readonly StackRecord[],
  ): Promise<void> {
    const facetsOf = (stacks: readonly StackRecord[]): Map<string, string[]> => {
      const out = new Map<string, string[]>();
      for (const r of stacks)
        r.frames.forEach((f, i) =>
          out.set(f.captureKey, i === r.pick ? [r.kind, 'pick'] : [r.kind]),
        );
      return out;
    };
    const was = facetsOf(before);
    const now = facetsOf(records);
    // Only the captures whose facet changes are written again.
    const changed = new Map<CaptureId, string[]>();
    for (const key of new Set([...was.keys(), ...now.keys()])) {
      const value = now.get(key) ?? [];
      if (!isDeepStrictEqual(was.get(key) ?? [], value))
        changed.set(captureIdOf(sourceId, key), value);
    }
    await this.captures.setFacets('stack', changed, this.clock.now().getTime());
  }

  private log(err: unknown): void {
    (this.options.logger ?? silentLogger).log('error', `stack detection: ${errorMessage(err)}`);
  }
}

/** Hands every secured file to several indexers (metadata, then stacks). */
export function allIndexers(...indexers: readonly FileIndexer[]): FileIndexer {
  return { add: (file) => indexers.forEach((i) => i.add(file)) };
}
