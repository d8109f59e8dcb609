import { join } from 'node:path';
import type { Catalog } from '../catalog/index.js';
import {
  FieldBackupError,
  type Clock,
  type IngestDoneEvent,
  type IngestEvent,
  type JobId,
  type JobStatus,
  type Logger,
  type SourceId,
} from '../core/index.js';
import type { DriveWatcher, MountedVolume, Mounter } from '../hardware/ports/index.js';
import { FolderSource, statusOfJob } from '../ingest/index.js';
import type { CardView, LastCard } from '../status/index.js';
import { mountName, type CardInsert } from './drive-router.js';
import type { StatusStore } from './status-store.js';
import type { VaultPool } from './vault-pool.js';
import type { WorkTracker } from './work-tracker.js';

export interface CardWorkerOptions {
  readonly catalog: Catalog;
  readonly mounter: Mounter;
  readonly drives: DriveWatcher;
  readonly pool: VaultPool;
  readonly store: StatusStore;
  readonly work: WorkTracker;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly mountRoot: string;
  readonly paranoid: boolean;
  /** The live per-tier status is read from the catalog at most this often while copying. */
  readonly jobStatusEveryMs?: number;
}

/** Errors of one file that may mean the whole card is gone. */
const SOURCE_GONE = new Set(['E_SOURCE_MISSING', 'E_SOURCE_READ', 'E_IO']);

/**
 * The card region's work: mount read-only, back up through the shared session (the engine
 * scans, plans by tier, copies, reads back and records each file), the final check from the
 * catalog, unmount. Everything it learns goes to the status store.
 */
export class CardWorker {
  private lastJobRead = -Infinity;
  /** The ingest of the card now in the reader (awaited before its mount is undone). */
  private ingest: Promise<unknown> = Promise.resolve();
  /** The card's mount, while there is one. */
  private mounted: MountedVolume | undefined;
  /** Undoing the last card's mount (a card put back must wait for it: same mount point). */
  private releasing: Promise<unknown> = Promise.resolve();

  constructor(private readonly o: CardWorkerOptions) {}

  inserted(card: CardInsert): void {
    // The phase comes from the statechart; these are the card's details.
    this.setCard({ phase: 'none', device: card.volume.device, name: cardName(card) });
  }

  async mount(card: CardInsert): Promise<MountedVolume> {
    await this.releasing;
    const at = join(this.o.mountRoot, mountName(card.volume.device));
    this.mounted = await this.o.work.track(this.o.mounter.mount(card.volume, at, 'card'));
    return this.mounted;
  }

  /**
   * Backs the card up; `scanned` is called once the engine has listed and planned it.
   * Resolves with the `done` event (also when stopped through `signal`).
   */
  copy(mounted: MountedVolume, signal: AbortSignal, scanned: () => void): Promise<IngestDoneEvent> {
    const run = this.o.work.track(this.runCopy(mounted, signal, scanned));
    this.ingest = run.catch(() => undefined);
    return run;
  }

  /** The final check: each file's verified copies, from the catalog, against its tier. */
  async verify(done: IngestDoneEvent): Promise<JobStatus> {
    await this.o.drives.refresh();
    const status = statusOfJob(this.o.catalog, done.jobId);
    if (status === undefined)
      throw new FieldBackupError('E_CATALOG', `job ${done.jobId} is not in the catalog`);
    this.patchCard({ job: status });
    return status;
  }

  async unmount(mounted: MountedVolume): Promise<void> {
    await this.ingest;
    await this.o.mounter.unmount(mounted);
    this.mounted = undefined;
  }

  /** After a pull or a failure: waits for the copy to stop, then undoes the mount. */
  release(mounted: MountedVolume | undefined): Promise<void> {
    const run = this.releaseNow(mounted);
    this.releasing = run.catch(() => undefined);
    return run;
  }

  /** Shutdown: the copy has stopped; the card's verdict is kept and its mount undone. */
  async shutdown(): Promise<void> {
    await this.ingest;
    const card = this.o.store.get().card;
    if (card.job !== undefined && card.phase !== 'none') {
      const status = statusOfJob(this.o.catalog, card.job.jobId);
      if (status !== undefined) this.patchCard({ job: status });
      this.remember(status?.state !== 'finished');
    }
    await this.releaseNow(this.mounted);
  }

  private async releaseNow(mounted: MountedVolume | undefined): Promise<void> {
    await this.ingest;
    const jobId = this.o.store.get().card.job?.jobId;
    if (jobId !== undefined) {
      const status = statusOfJob(this.o.catalog, jobId);
      if (status !== undefined) this.patchCard({ job: status });
    }
    if (mounted === undefined) return;
    await this.o.mounter
      .unmount(mounted)
      .catch((err: unknown) => this.o.store.failure(err, 'E_MOUNT'));
    if (this.mounted === mounted) this.mounted = undefined;
  }

  /** The card reached a resting phase: its verdict (or problem) is kept. */
  settled(phase: 'safe' | 'pulled' | 'unreadable' | 'failed', problem?: string): void {
    if (problem !== undefined) this.patchCard({ problem });
    if (phase === 'safe' || phase === 'pulled') this.remember(phase === 'pulled');
  }

  removed(): void {
    this.setCard({ phase: 'none' });
  }

  private async runCopy(
    mounted: MountedVolume,
    signal: AbortSignal,
    scanned: () => void,
  ): Promise<IngestDoneEvent> {
    const lease = await this.o.pool.lease();
    try {
      return await lease.session.ingest(new FolderSource(mounted.path), {
        signal,
        paranoid: this.o.paranoid,
        onEvent: (e) => this.onEvent(e, scanned),
      });
    } finally {
      await lease.release();
    }
  }

  private onEvent(e: IngestEvent, scanned: () => void): void {
    switch (e.event) {
      case 'start': {
        const resumed = this.wasInterrupted(e.source.id, e.jobId);
        this.patchCard({ name: e.source.name, resumed });
        this.readJob(e.jobId, true);
        scanned();
        return;
      }
      case 'progress': {
        const { event: _e, ...progress } = e;
        this.patchCard({ progress });
        return;
      }
      case 'file': {
        const jobId = this.o.store.get().card.job?.jobId;
        if (jobId !== undefined) this.readJob(jobId, false);
        return;
      }
      case 'warning':
      case 'error':
        this.o.store.problem(e.code, e.path === undefined ? e.message : `${e.path}: ${e.message}`);
        // A read error may be the card leaving: look now rather than at the next tick.
        if (e.path !== undefined && SOURCE_GONE.has(e.code)) void this.o.drives.refresh();
        return;
      case 'done':
        this.readJob(e.jobId, true);
        return;
    }
  }

  /** An earlier job of this card that never finished (power cut, pulled, stopped). */
  private wasInterrupted(sourceId: SourceId, jobId: JobId): boolean {
    let latest: { state: string } | undefined;
    for (const job of this.o.catalog.allJobs())
      if (job.sourceId === sourceId && job.id !== jobId) latest = job;
    return latest !== undefined && latest.state !== 'finished';
  }

  private readJob(jobId: JobId, force: boolean): void {
    const now = this.o.clock.monotonicMs();
    if (!force && now - this.lastJobRead < (this.o.jobStatusEveryMs ?? 1000)) return;
    this.lastJobRead = now;
    const job = statusOfJob(this.o.catalog, jobId);
    if (job === undefined) return;
    const tier = job.tiers.find((t) => t.pending.files > 0)?.tier;
    this.patchCard({ job, ...(tier === undefined ? {} : { tier }) });
  }

  private remember(interrupted: boolean): void {
    const card = this.o.store.get().card;
    const job = card.job;
    if (job === undefined) return;
    const last: LastCard = {
      name: card.name ?? job.source.name,
      jobId: job.jobId,
      safeToFormat: job.safeToFormat && !interrupted,
      files: job.tiers.reduce((n, t) => n + t.total.files, 0),
      bytes: job.tiers.reduce((n, t) => n + t.total.bytes, 0),
      notSafe:
        job.short.length +
        job.notCopied.length +
        job.tiers.reduce((n, t) => n + t.pending.files, 0),
      interrupted,
      at: this.o.clock.now().getTime(),
    };
    this.o.store.patch(() => ({ lastCard: last }));
  }

  private setCard(card: CardView): void {
    this.o.store.patch(() => ({ card }));
  }

  private patchCard(change: Partial<CardView>): void {
    this.o.store.patch((s) => ({ card: { ...s.card, ...change } }));
  }
}

function cardName(card: CardInsert): string {
  return card.volume.label ?? (card.drive.description || card.volume.device);
}
