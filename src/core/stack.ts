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
