import { JobFileStore, type Catalog, type JobFileRecord } from '../catalog/index.js';
import type {
  ContentHash,
  FileState,
  JobId,
  SourceEntry,
  TierName,
  VaultId,
  VerificationMode,
} from '../core/index.js';
import { fileState, type Tiers, type VaultName } from '../tiers/index.js';

/** What the status needs to know of a file before it is copied. */
export interface PlannedLine {
  readonly entry: SourceEntry;
  readonly captureKey: string;
  readonly tier: TierName;
}

/**
 * The files of one job in the catalog, each with its tier's demands and how far it got: the
 * status per tier (and "safe to format") is computed from them, during the job and after it.
 */
export class JobFiles {
  private readonly store: JobFileStore;

  constructor(
    private readonly catalog: Catalog,
    private readonly jobId: JobId,
    private readonly tiers: Tiers,
    /** The vaults the job started with: copies on these count. */
    private readonly vaults: readonly VaultName[],
  ) {
    this.store = new JobFileStore(catalog);
  }

  /** Records planned files as pending (or, when planning failed, as failed with the reason). */
  plan(files: readonly PlannedLine[], failedBecause?: string): Promise<void> {
    return this.store.plan(
      this.jobId,
      files.map((f) =>
        this.line(f, failedBecause === undefined ? 'pending' : 'failed', failedBecause),
      ),
    );
  }

  /** Records a file whose copying is over; returns whether it has every copy its tier requires. */
  async copied(
    file: PlannedLine,
    hash: ContentHash,
    shortfalls: readonly string[],
    /** Copies the stack economy leaves this content (fewer than its tier's), if it is economised. */
    economised?: number,
  ): Promise<FileState> {
    const reason = shortfalls.length > 0 ? shortfalls.join('; ') : undefined;
    await this.store.settle(this.jobId, file.entry.relPath, { progress: 'done', hash, reason });
    const copies: Record<VaultId, VerificationMode> = {};
    for (const [id, copy] of Object.entries(this.catalog.object(hash)?.copies ?? {}))
      copies[id as VaultId] = copy.verification;
    const line = this.line(file, 'done');
    const copiesRequired = Math.min(line.copiesRequired, economised ?? line.copiesRequired);
    return fileState({ ...line, copiesRequired, copies }, this.vaults);
  }

  /** Records a file that got no copy: waiting for space, failed, or never started because the job stopped. */
  notCopied(relPath: string, progress: 'waiting' | 'failed', reason: string): Promise<void> {
    return this.store.settle(this.jobId, relPath, { progress, reason });
  }

  private line(
    file: PlannedLine,
    progress: JobFileRecord['progress'],
    reason?: string,
  ): JobFileRecord {
    const policy = this.tiers.policy(file.tier);
    return {
      relPath: file.entry.relPath,
      captureKey: file.captureKey,
      tier: file.tier,
      rank: this.tiers.rank(file.tier),
      size: file.entry.size,
      copiesRequired: policy.copies,
      verification: policy.verification,
      progress,
      ...(reason === undefined ? {} : { reason }),
    };
  }
}
