import type { Database } from 'lmdb';
import type { ContentHash, JobId, TierName, VerificationMode } from '../core/index.js';
import type { Catalog } from './catalog.js';

/** One file of a job, with what its tier asked for and how far it got: the status per tier is built from these. */
export interface JobFileRecord {
  readonly relPath: string;
  /** Files with the same folder and stem form one capture. */
  readonly captureKey: string;
  readonly tier: TierName;
  /** The tier's copy order when the file was planned. */
  readonly rank: number;
  readonly size: number;
  readonly copiesRequired: number;
  readonly verification: VerificationMode;
  /** `done`: copying is over (the object's copies say how well); `waiting`: below the tier's reserve. */
  readonly progress: 'pending' | 'done' | 'waiting' | 'failed';
  readonly hash?: ContentHash;
  /** Why it has fewer copies than required, or none. */
  readonly reason?: string;
}

/** The files of each job and their progress (LMDB `job-files`, keyed by job and path). */
export class JobFileStore {
  private readonly db: Database<JobFileRecord, [JobId, string]>;

  constructor(private readonly catalog: Catalog) {
    this.db = catalog.openDb('job-files');
  }

  /** Records newly planned files of a job, all pending, in one transaction. */
  async plan(jobId: JobId, files: readonly JobFileRecord[]): Promise<void> {
    await this.catalog.transaction(() => {
      for (const f of files) this.db.putSync([jobId, f.relPath], f);
    });
  }

  /** Records how a file ended. */
  async settle(
    jobId: JobId,
    relPath: string,
    outcome: Pick<JobFileRecord, 'progress' | 'hash' | 'reason'>,
  ): Promise<void> {
    await this.catalog.transaction(() => {
      const known = this.db.get([jobId, relPath]);
      if (known === undefined) return;
      const { hash: _h, reason: _r, ...rest } = known;
      this.db.putSync([jobId, relPath], {
        ...rest,
        progress: outcome.progress,
        ...(outcome.hash === undefined ? {} : { hash: outcome.hash }),
        ...(outcome.reason === undefined ? {} : { reason: outcome.reason }),
      });
    });
  }

  *ofJob(jobId: JobId): Iterable<JobFileRecord> {
    for (const { value } of this.db.getRange({ start: [jobId], end: [`${jobId}\u0000`] }))
      yield value;
  }
}
