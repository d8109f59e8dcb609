import type { Catalog } from '../catalog/index.js';
import type { PlanTagReader } from '../media/index.js';
import type { Tiers } from '../tiers/index.js';
import type { FileIndexer } from './metadata-indexer.js';
import type { RecoveryReport } from './recovery.js';
import type { TierScheduler } from './scheduler.js';
import type { SpaceLedger } from './space-ledger.js';
import type {
  Clock,
  ContentHash,
  IngestProblemEvent,
  JobId,
  Source,
  SourceId,
  VaultId,
} from '../core/index.js';
import type { VaultSet } from './vault-set.js';

/**
 * Content the stack economy keeps on fewer copies than its tier asks for (a stack's non-pick
 * frame): seen again (a re-inserted card, another card), it is not copied back.
 */
export interface EconomyLookup {
  copiesFor(hash: ContentHash): number | undefined;
}

/** What the steps of one ingest share. */
export interface IngestContext {
  readonly catalog: Catalog;
  readonly source: Source;
  readonly sourceId: SourceId;
  readonly sourceName: string;
  readonly jobId: JobId;
  readonly vaults: VaultSet;
  readonly paranoid: boolean;
  readonly clock: Clock;
  /** Vault paths chosen by files in flight, so two files never pick the same new name. */
  readonly claims: PathClaims;
  readonly tiers: Tiers;
  /** Free space per vault, shared by every file in flight. */
  readonly space: SpaceLedger;
  readonly economy: EconomyLookup | undefined;
  report(
    problem: Omit<IngestProblemEvent, 'event'> & { readonly event: 'warning' | 'error' },
  ): void;
  /** Reports a problem the first time its key is seen in this job (a vault below a tier's reserve). */
  warnOnce(key: string, problem: IngestProblemEvent): void;
  /** Source bytes read, for progress. */
  onBytesRead(bytes: number): void;
  nextTempName(): string;
}

/** What a job needs of the session it runs in. */
export interface JobHost {
  readonly catalog: Catalog;
  readonly clock: Clock;
  readonly vaults: VaultSet;
  readonly claims: PathClaims;
  readonly scheduler: TierScheduler;
  /** The tiers' policies, and their rules with any rule function given through the API. */
  readonly tiers: Tiers;
  readonly space: SpaceLedger;
  readonly tags: PlanTagReader | undefined;
  readonly indexer: FileIndexer | undefined;
  readonly economy: EconomyLookup | undefined;
  takeRecoveries(): RecoveryReport[];
  writeMhl(comment: string, onError: (vaultLabel: string, err: unknown) => void): Promise<void>;
}

export class PathClaims {
  private readonly claimed = new Set<string>();

  has(vaultId: VaultId, path: string): boolean {
    return this.claimed.has(`${vaultId}\u0000${path}`);
  }

  claim(vaultId: VaultId, path: string): void {
    this.claimed.add(`${vaultId}\u0000${path}`);
  }

  release(vaultId: VaultId, path: string): void {
    this.claimed.delete(`${vaultId}\u0000${path}`);
  }
}
