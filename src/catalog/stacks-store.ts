import { isDeepStrictEqual } from 'node:util';
import type { Database } from 'lmdb';
import type { ContentHash, JobId, StackKind } from '../core/index.js';
import type { Catalog } from './catalog.js';

/** One frame of a stack: a capture (its image files) and what the pick was chosen by. */
export interface StackFrameRecord {
  readonly captureKey: string;
  readonly files: readonly { readonly relPath: string; readonly hash: ContentHash }[];
  readonly rating?: number;
  readonly focus?: number;
}

/** A stack found in a job's files. */
export interface StackRecord {
  readonly jobId: JobId;
  /** 1, 2, … within the job, in capture order of the stacks' first frames. */
  readonly no: number;
  readonly kind: StackKind;
  readonly frames: readonly StackFrameRecord[];
  /** Index into `frames` of the pick (full redundancy under the stack economy). */
  readonly pick: number;
}

/** Where a content belongs: its stack, its kind, and whether it is the stack's pick. */
export interface StackRole {
  readonly jobId: JobId;
  readonly no: number;
  readonly kind: StackKind;
  readonly pick: boolean;
}

/** Detection of a job's stacks: pending while the job runs or its frames are looked at. */
export interface StackJobRecord {
  readonly state: 'pending' | 'done' | 'failed';
  readonly profile: string;
  readonly bursts: number;
  readonly brackets: number;
  /** Frames in stacks. */
  readonly frames: number;
  /** Captures looked at, and those without an image to look at. */
  readonly analysed: number;
  readonly skipped: number;
  readonly reason?: string;
  readonly at: number;
}

/** Content the stack economy keeps on fewer copies than its tier asks for. */
export interface EconomyRecord {
  readonly copies: number;
  readonly jobId: JobId;
  readonly no: number;
  readonly at: number;
}

/**
 * Stacks in the catalog (LMDB `stacks`, `stack-roles`, `stack-jobs`, `stack-economy`): the
 * stacks of each job, the role of each content hash (so a file seen again on another card or
 * on re-insertion is known as a pick or a frame), detection state per job, and the contents the
 * stack economy keeps on a single copy.
 */
export class StacksStore {
  private readonly stacks: Database<StackRecord, [JobId, number]>;
  private readonly roles: Database<StackRole, ContentHash>;
  private readonly jobs: Database<StackJobRecord, JobId>;
  private readonly economy: Database<EconomyRecord, ContentHash>;

  constructor(private readonly catalog: Catalog) {
    this.stacks = catalog.openDb('stacks');
    this.roles = catalog.openDb('stack-roles');
    this.jobs = catalog.openDb('stack-jobs');
    this.economy = catalog.openDb('stack-economy');
  }

  /** Marks a job's detection as pending (its files are being looked at). */
  async pending(jobId: JobId, profile: string, at: number): Promise<void> {
    await this.jobs.put(jobId, {
      state: 'pending',
      profile,
      bursts: 0,
      brackets: 0,
      frames: 0,
      analysed: 0,
      skipped: 0,
      at,
    });
  }

  /**
   * Replaces a job's stacks, the roles of their contents and the job's detection record in one
   * transaction. A content that is a pick anywhere stays a pick (never less protected). A stack
   * recorded as it already is is not written again (a tethered job grows by a few frames).
   */
  async record(
    jobId: JobId,
    stacks: readonly StackRecord[],
    job: Omit<StackJobRecord, 'state' | 'bursts' | 'brackets' | 'frames'>,
  ): Promise<void> {
    await this.catalog.transaction(() => {
      const numbers = new Set(stacks.map((s) => s.no));
      for (const { key } of this.stacks.getRange({ start: [jobId, 0], end: [jobId, Infinity] }))
        if (!numbers.has(key[1])) this.stacks.removeSync(key);
      for (const s of stacks) {
        if (isDeepStrictEqual(this.stacks.get([jobId, s.no]), s)) continue;
        this.stacks.putSync([jobId, s.no], s);
        s.frames.forEach((frame, i) => {
          for (const f of frame.files) {
            const known = this.roles.get(f.hash);
            const pick = i === s.pick;
            if (known?.pick === true && !pick && known.jobId !== jobId) continue;
            this.roles.putSync(f.hash, { jobId, no: s.no, kind: s.kind, pick });
          }
        });
      }
      this.jobs.putSync(jobId, {
        ...job,
        state: 'done',
        bursts: stacks.filter((s) => s.kind === 'burst').length,
        brackets: stacks.filter((s) => s.kind === 'bracket').length,
        frames: stacks.reduce((n, s) => n + s.frames.length, 0),
      });
    });
  }

  async failed(jobId: JobId, profile: string, reason: string, at: number): Promise<void> {
    const known = this.jobs.get(jobId);
    await this.jobs.put(jobId, {
      bursts: 0,
      brackets: 0,
      frames: 0,
      analysed: 0,
      skipped: 0,
      ...known,
      profile,
      state: 'failed',
      reason,
      at,
    });
  }

  job(jobId: JobId): StackJobRecord | undefined {
    return this.jobs.get(jobId);
  }

  *stacksOf(jobId: JobId): Iterable<StackRecord> {
    for (const { value } of this.stacks.getRange({ start: [jobId, 0], end: [jobId, Infinity] }))
      yield value;
  }

  stack(jobId: JobId, no: number): StackRecord | undefined {
    return this.stacks.get([jobId, no]);
  }

  /** The stack a content belongs to (for search: `stack:burst`), if any. */
  role(hash: ContentHash): StackRole | undefined {
    return this.roles.get(hash);
  }

  /** Whether the economy keeps this content on fewer copies, and how many. */
  economyOf(hash: ContentHash): EconomyRecord | undefined {
    return this.economy.get(hash);
  }

  /** Every content the economy keeps on fewer copies. */
  *economised(): Iterable<{ readonly hash: ContentHash; readonly record: EconomyRecord }> {
    for (const { key, value } of this.economy.getRange()) yield { hash: key, record: value };
  }

  /** The content has its copies again (a pick copied back to every vault). */
  async clearEconomy(hash: ContentHash): Promise<void> {
    await this.economy.remove(hash);
  }
}
