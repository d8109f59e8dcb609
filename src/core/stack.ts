import type { TierName } from './tier.js';

/** A burst: one scene, several moments. A bracket: one scene, several exposures. */
export type StackKind = 'burst' | 'bracket';

/** The stacks found among a job's files, as the status shows them. */
export interface JobStacks {
  /** `pending`: frames are still being looked at (in the background, after the copies). */
  readonly state: 'pending' | 'done' | 'failed';
  readonly bursts: number;
  readonly brackets: number;
  /** Frames (captures) in stacks. */
  readonly frames: number;
  readonly reason?: string;
}

/** A file the stack economy keeps on one verified copy (a stack's non-pick frame). */
export interface SingleCopyFile {
  readonly path: string;
  readonly tier: TierName;
  /** Label of the vault holding its copy. */
  readonly on: string;
  readonly kind: StackKind;
}

/**
 * What background stack detection reports: a job's stacks found (or why not), and what the
 * stack economy freed.
 */
export type StackEvent =
  | {
      readonly event: 'stacks';
      readonly jobId: string;
      readonly bursts: number;
      readonly brackets: number;
      readonly frames: number;
      /** Captures looked at, and those without an image that could be decoded. */
      readonly analysed: number;
      readonly skipped: number;
      readonly durationMs: number;
    }
  | { readonly event: 'stacks-failed'; readonly jobId: string; readonly reason: string }
  | {
      readonly event: 'economy';
      readonly jobId: string;
      /** Copies removed, and the bytes they took. */
      readonly copies: number;
      readonly bytes: number;
      /** Why nothing was done, when nothing was. */
      readonly skipped?: string;
      /** Vaults whose ASC MHL generation recording the removals is still owed (written at the next open). */
      readonly problems?: readonly string[];
    };
