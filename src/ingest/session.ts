import type { Catalog } from '../catalog/index.js';
import {
  errorMessage,
  silentLogger,
  systemClock,
  type Clock,
  type Logger,
  type IngestDoneEvent,
  type Source,
  type SourceIdentity,
} from '../core/index.js';
import type { PlanTagReader } from '../media/index.js';
import { DEFAULT_TIERS, type TierRule, type Tiers } from '../tiers/index.js';
import type { VaultIo } from '../vault/index.js';
import { PathClaims, type EconomyLookup, type JobHost } from './context.js';
import { Job, runJob, type JobOptions } from './job.js';
import type { FileIndexer } from './metadata-indexer.js';
import { flushMhl } from './mhl-flush.js';
import { copyOwedPicks, type PickCopyReport } from './pick-copies.js';
import { recoverVault, type RecoveryReport } from './recovery.js';
import { TierScheduler } from './scheduler.js';
import { SpaceLedger } from './space-ledger.js';
import { VaultSet } from './vault-set.js';

export type { JobOptions };

export interface SessionOptions {
  /** Vault roots; each must have been made with `vault init`. */
  readonly vaults: readonly string[];
  readonly catalog: Catalog;
  /** Files in flight at once (small files gain from 2; large ones are bound by the slowest disk). */
  readonly concurrency?: number;
  readonly clock?: Clock;
  readonly vaultIo?: VaultIo;
  /** Reads capture time, camera and tier facts before copying; without it, mtimes are used. */
  readonly tags?: PlanTagReader;
  /** Tiers, their policies and rules (from the config's `tiers` section); default: critical, standard, bulk. */
  readonly tiers?: Tiers;
  /** One more rule, as a function: the most important tier any rule names wins. */
  readonly tierRule?: TierRule;
  readonly logger?: Logger;
  /**
   * Gets every secured file (copied, deduplicated or unchanged) with its verified vault copies,
   * to index it in the background (a MetadataIndexer). Jobs do not wait for it: `done` means
   * the copies are safe; call the indexer's drain() to wait for the index.
   */
  readonly indexer?: FileIndexer;
  /** The stack economy, when it is on: its single-copy frames are not copied back when seen again. */
  readonly economy?: EconomyLookup;
}

/**
 * The vaults held open for a while (one CLI ingest, or a whole day of the appliance): locked,
 * recovered once, and fed by any number of sources at the same time. Their files share one
 * tier-ordered queue, so a critical file from a tethered camera overtakes a card's bulk.
 */
export class IngestSession implements JobHost {
  readonly claims = new PathClaims();
  readonly space = new SpaceLedger();
  readonly tiers: Tiers;
  private pendingRecoveries: RecoveryReport[];
  private mhlWrites: Promise<unknown> = Promise.resolve();
  private closed = false;

  private constructor(
    readonly options: SessionOptions,
    readonly vaults: VaultSet,
    readonly scheduler: TierScheduler,
    recoveries: RecoveryReport[],
  ) {
    this.pendingRecoveries = recoveries;
    const tiers = options.tiers ?? DEFAULT_TIERS;
    this.tiers = options.tierRule === undefined ? tiers : tiers.withRules(options.tierRule);
  }

  static async open(options: SessionOptions): Promise<IngestSession> {
    const clock = options.clock ?? systemClock;
    const vaults = await VaultSet.open(options.vaults, options.catalog, options.vaultIo);
    try {
      const recovered = await Promise.all(
        vaults.available().map((v) => recoverVault(v, options.catalog, clock)),
      );
      // The place that reconciles: a pick that lacks a copy on a vault present now gets it
      // before any card is copied (picks are critical: they go first anyway).
      const recoveries = withPicks(
        recovered,
        await copyOwedPicks(vaults.available(), options.catalog, clock),
      );
      // Tasks report their own failures as events; what reaches here is a bug, logged, never a crash mid-copy.
      const logger = options.logger ?? silentLogger;
      const scheduler = new TierScheduler(options.concurrency ?? 2, (err) => {
        logger.log('error', `ingest task failed unexpectedly: ${errorMessage(err)}`);
      });
      return new IngestSession(options, vaults, scheduler, recoveries);
    } catch (err) {
      await vaults.release();
      throw err;
    }
  }

  get catalog(): Catalog {
    return this.options.catalog;
  }

  get clock(): Clock {
    return this.options.clock ?? systemClock;
  }

  get tags(): PlanTagReader | undefined {
    return this.options.tags;
  }

  get indexer(): FileIndexer | undefined {
    return this.options.indexer;
  }

  get economy(): EconomyLookup | undefined {
    return this.options.economy;
  }

  /** What recovery found when the session opened; reported once, by the first job. */
  takeRecoveries(): RecoveryReport[] {
    const r = this.pendingRecoveries;
    this.pendingRecoveries = [];
    return r;
  }

  /** Backs up one source through the shared queue; resolves with its `done` event. */
  ingest(source: Source, options: JobOptions = {}): Promise<IngestDoneEvent> {
    if (this.closed) throw new Error('ingest session is closed');
    return runJob(this, source, options);
  }

  /**
   * A job fed file by file as they appear (a tethered camera, a hot folder): `add()` each new
   * file (resolves when it is secured), `finish()` when the source goes away.
   */
  startJob(source: Source, identity: SourceIdentity, options: JobOptions = {}): Promise<Job> {
    if (this.closed) throw new Error('ingest session is closed');
    return Job.start(this, source, identity, [], options);
  }

  /** Writes an ASC MHL generation on every available vault; one at a time, so sequence numbers never collide. */
  writeMhl(comment: string, onError: (vaultLabel: string, err: unknown) => void): Promise<void> {
    const run = this.mhlWrites.then(async () => {
      for (const vault of this.vaults.available()) {
        try {
          await flushMhl(vault, this.catalog, this.clock, comment);
        } catch (err) {
          onError(vault.label, err);
        }
      }
    });
    this.mhlWrites = run;
    return run;
  }

  /** Releases the vaults. Call when no job is running. */
  async close(): Promise<void> {
    this.closed = true;
    await this.mhlWrites;
    await this.catalog.flushed();
    await this.vaults.release();
  }
}

/** Each vault's recovery report with the pick copies made to it, and the ones that failed. */
function withPicks(reports: readonly RecoveryReport[], picks: PickCopyReport): RecoveryReport[] {
  return reports.map((r) => ({
    ...r,
    picksCopied: picks.copied.filter((c) => c.vault === r.vault).length,
    problems: [
      ...r.problems,
      ...picks.problems
        .filter((p) => p.vault === r.vault)
        .map((p) => ({ code: p.code, message: p.message, path: p.path })),
    ],
  }));
}
