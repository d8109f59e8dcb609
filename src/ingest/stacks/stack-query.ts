import {
  CaptureStore,
  StacksStore,
  type Catalog,
  type CaptureId,
  type StackRecord,
} from '../../catalog/index.js';
import type { ContentHash, JobId, StackKind } from '../../core/index.js';

/** One frame of a stack as a screen shows it. */
export interface StackMember {
  readonly captureKey: string;
  readonly files: readonly { readonly relPath: string; readonly hash: ContentHash }[];
  readonly pick: boolean;
  readonly rating?: number;
  /** Measured sharpness (higher is sharper); what picks the pick among equal ratings. */
  readonly focus?: number;
  /** Some of its files are kept on a single copy by the stack economy. */
  readonly singleCopy: boolean;
}

/** A stack: its kind, its pick and its members in capture order. */
export interface StackView {
  readonly jobId: JobId;
  readonly no: number;
  readonly kind: StackKind;
  readonly members: readonly StackMember[];
}

/**
 * Read-only views of the stacks for screens (the web page, the CLI): a job's stacks, one
 * stack, and the stack a capture is in.
 */
export class StackQuery {
  private readonly stacks: StacksStore;
  private readonly captures: CaptureStore;

  constructor(catalog: Catalog) {
    this.stacks = new StacksStore(catalog);
    this.captures = new CaptureStore(catalog);
  }

  /** Every stack of a job (a card, a camera session), in capture order. */
  ofJob(jobId: JobId): StackView[] {
    return [...this.stacks.stacksOf(jobId)].map((s) => this.view(s));
  }

  /** One stack with its members; undefined when there is no such stack. */
  members(jobId: JobId, no: number): StackView | undefined {
    const s = this.stacks.stack(jobId, no);
    return s === undefined ? undefined : this.view(s);
  }

  /** The stacks a capture is a frame of (one, or none; more when its card was ingested again). */
  ofCapture(id: CaptureId): StackView[] {
    const capture = this.captures.get(id);
    if (capture === undefined) return [];
    const out = new Map<string, StackView>();
    for (const f of capture.files) {
      const role = this.stacks.role(f.hash);
      if (role === undefined || out.has(`${role.jobId}/${role.no}`)) continue;
      const s = this.stacks.stack(role.jobId, role.no);
      if (s?.frames.some((fr) => fr.captureKey === capture.captureKey) === true)
        out.set(`${role.jobId}/${role.no}`, this.view(s));
    }
    return [...out.values()];
  }

  private view(s: StackRecord): StackView {
    return {
      jobId: s.jobId,
      no: s.no,
      kind: s.kind,
      members: s.frames.map((f, i) => ({
        captureKey: f.captureKey,
        files: f.files,
        pick: i === s.pick,
        ...(f.rating === undefined ? {} : { rating: f.rating }),
        ...(f.focus === undefined ? {} : { focus: f.focus }),
        singleCopy: f.files.some((file) => this.stacks.economyOf(file.hash) !== undefined),
      })),
    };
  }
}
