import type { Database } from 'lmdb';
import type { ContentHash, JobFileLine, JobId } from '../core/index.js';
import type { Catalog } from './catalog.js';

/** A file of a job as stored: its line in the status, and its content once known. */
export interface JobFileRecord extends JobFileLine {
  readonly hash?: ContentHash;
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
