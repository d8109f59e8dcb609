import {
  systemClock,
  type Clock,
  type IngestEvent,
  type IngestFileEvent,
  type SourceEntry,
  type SourceIdentity,
} from '../core/index.js';
import { problemOf } from './problem.js';
import type { FeedNotice, TetherEvent, TetherFeed, TetherJob, TetherJobHost } from './feed.js';
import { pause } from './pause.js';
import { breaksLink } from './transport.js';

export interface TetherRunOptions {
  /** Stops the run: shots in flight finish (if the device is still there), then the jobs close. */
  readonly signal: AbortSignal;
  readonly onEvent?: (event: TetherEvent) => void;
  readonly clock?: Clock;
  /** Tries per file in one run (each reconnect retries a failed file) before giving up on it. */
  readonly maxAttempts?: number;
}

export type TetherDone = Extract<TetherEvent, { event: 'done' }>;

interface JobState {
  readonly job: TetherJob;
  readonly results: Map<string, IngestFileEvent>;
}

/**
 * Feeds a tethered source to the ingest engine: connects, backs up what is already on the
 * device, then every new shot as it is announced (one `job.add` per shot, in flight at once),
 * and after a lost link connects again, never adding a file twice. Shots are reported with the
 * latency from their announcement to verified on every vault.
 */
export async function runTether(
  feed: TetherFeed,
  host: TetherJobHost,
  options: TetherRunOptions,
): Promise<TetherDone> {
  const run = new TetherRun(feed, host, options);
  try {
    await run.loop();
  } finally {
    await run.drain();
  }
  return run.done();
}

class TetherRun {
  private readonly clock: Clock;
  private readonly startedMs: number;
  private readonly jobs = new Map<string, JobState>();
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly secured = new Set<string>();
  private readonly failed = new Set<string>();
  private readonly attempts = new Map<string, number>();
  /** Failed shots to try again while connected (a lost link, a file still being written). */
  private readonly retries = new Map<string, () => void>();
  private shots = 0;
  private degraded = 0;

  constructor(
    private readonly feed: TetherFeed,
    private readonly host: TetherJobHost,
    private readonly options: TetherRunOptions,
  ) {
    this.clock = options.clock ?? systemClock;
    this.startedMs = this.clock.monotonicMs();
  }

  private emit(event: TetherEvent): void {
    this.options.onEvent?.(event);
  }

  private readonly notify = (notice: FeedNotice): void => this.emit(notice);

  async loop(): Promise<void> {
    const { signal } = this.options;
    while (!signal.aborted) {
      let connected: Awaited<ReturnType<TetherFeed['connect']>>;
      try {
        connected = await this.feed.connect(signal, this.notify);
      } catch (err) {
        if (signal.aborted) return;
        this.emit(problemOf(err));
        await pause(1000, signal);
        continue;
      }
      const job = await this.jobFor(connected.identity);
      this.emit({
        event: 'connected',
        camera: connected.identity.name,
        ...(connected.identity.serial === undefined ? {} : { serial: connected.identity.serial }),
        location: connected.identity.location,
        detail: connected.detail,
        files: connected.existing.length,
      });
      const now = this.clock.monotonicMs();
      for (const entry of connected.existing) this.submit(job, entry, now, true);
      await this.watch(job);
    }
  }

  /** New shots until the link is lost or the run stops. */
  private async watch(job: JobState): Promise<void> {
    const { signal } = this.options;
    while (!signal.aborted) {
      for (const [key, retry] of this.retries) {
        this.retries.delete(key);
        retry();
      }
      try {
        for (const shot of await this.feed.nextShots(signal, this.notify)) {
          this.submit(job, shot.entry, shot.announcedMs, false);
        }
      } catch (err) {
        if (signal.aborted) return;
        if (breaksLink(err)) {
          this.emit({ event: 'disconnected', message: problemOf(err).message });
          return;
        }
        // Anything else (a vendor poll the camera refused): say so, keep watching, at a calm pace.
        this.emit(problemOf(err));
        await pause(1000, signal);
      }
    }
  }

  private async jobFor(identity: SourceIdentity): Promise<JobState> {
    const key = `${identity.kind}|${identity.serial ?? ''}|${identity.name}|${identity.serial === undefined ? identity.location : ''}`;
    const known = this.jobs.get(key);
    if (known !== undefined) return known;
    const results = new Map<string, IngestFileEvent>();
    const onEvent = (e: IngestEvent): void => {
      if (e.event === 'file') results.set(e.path, e);
      else if (e.event === 'warning' || e.event === 'error') this.emit(e);
    };
    const state = { job: await this.host.startJob(this.feed, identity, { onEvent }), results };
    this.jobs.set(key, state);
    return state;
  }

  private submit(
    state: JobState,
    entry: SourceEntry,
    announcedMs: number,
    atConnect: boolean,
  ): void {
    const key = `${entry.relPath}\u0000${entry.size}\u0000${entry.mtimeMs}`;
    if (this.secured.has(key) || this.inFlight.has(entry.relPath)) return;
    const tries = (this.attempts.get(key) ?? 0) + 1;
    const max = this.options.maxAttempts ?? 3;
    if (tries > max) return;
    this.attempts.set(key, tries);
    const work = (async (): Promise<boolean> => {
      await state.job.add([entry]);
      const result = state.results.get(entry.relPath);
      state.results.delete(entry.relPath);
      if (result !== undefined) {
        this.secured.add(key);
        this.failed.delete(key);
        this.reportShot(entry, result, announcedMs, atConnect);
        await this.feed.settled(entry, true);
        return false;
      }
      // Still there as it was: a failure to try again. Changed or gone (a hot-folder file
      // rewritten): not a failure of this version; a new version comes as its own shot.
      const worthRetry = await this.feed.settled(entry, false);
      if (!worthRetry) {
        this.failed.delete(key);
        return false;
      }
      this.failed.add(key);
      if (tries === max) {
        this.emit({
          event: 'error',
          code: 'E_SOURCE_READ',
          message: `${entry.relPath} failed ${max} times in this run; it stays on the device and is tried again next time`,
          path: entry.relPath,
        });
      }
      return tries < max;
    })()
      .catch((err: unknown) => {
        this.emit(problemOf(err));
        return false;
      })
      .then((retry) => {
        this.inFlight.delete(entry.relPath);
        if (retry) this.retries.set(key, () => this.submit(state, entry, announcedMs, atConnect));
      });
    this.inFlight.set(entry.relPath, work);
  }

  private reportShot(
    entry: SourceEntry,
    result: IngestFileEvent,
    announcedMs: number,
    atConnect: boolean,
  ): void {
    if (result.missing.length > 0) this.degraded++;
    if (result.outcome === 'unchanged') return;
    this.shots++;
    this.emit({
      event: 'shot',
      file: entry.relPath,
      bytes: entry.size,
      latencyMs: Math.round(this.clock.monotonicMs() - announcedMs),
      hash: result.hash,
      tier: result.tier,
      outcome: result.outcome,
      copies: result.copies,
      missing: result.missing,
      atConnect,
    });
  }

  /** Lets the shots in flight finish, closes every job (ASC MHL, job record) and the feed. */
  async drain(): Promise<void> {
    this.feed.finishing?.();
    while (this.inFlight.size > 0) await Promise.all(this.inFlight.values());
    for (const { job } of this.jobs.values()) await job.finish();
    await this.feed.close();
  }

  done(): TetherDone {
    const done: TetherDone = {
      event: 'done',
      shots: this.shots,
      failed: this.failed.size,
      degraded: this.degraded,
      durationMs: Math.round(this.clock.monotonicMs() - this.startedMs),
      exitCode: this.failed.size + this.degraded === 0 ? 0 : 1,
    };
    this.emit(done);
    return done;
  }
}
