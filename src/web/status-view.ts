import type { JobStatus } from '../core/index.js';
import { notCopiedLine, shortFileLine, verdictLine } from '../tiers/index.js';

/** One card or tether session as the page shows it. */
export interface JobView {
  readonly jobId: string;
  readonly source: { readonly name: string; readonly kind: string };
  readonly state: JobStatus['state'];
  /** Where the card in the reader is (the appliance's card phase: copying, verifying, safe…). */
  readonly phase?: string;
  readonly startedAt: number;
  readonly endedAt?: number;
  readonly safeToFormat: boolean;
  /** The same sentence the e-ink screen and the CLI print. */
  readonly verdict: string;
  readonly files: { readonly done: number; readonly total: number };
  readonly bytes: { readonly done: number; readonly total: number };
  readonly tiers: readonly {
    readonly tier: string;
    readonly copied: number;
    readonly total: number;
    readonly pending: number;
    readonly short: number;
    readonly notCopied: number;
    readonly verified: readonly { readonly vault: string; readonly captures: number }[];
  }[];
  /** Files that keep the card from being safe, in words. */
  readonly problems: readonly string[];
}

/** Box-wide facts beside the jobs (the appliance fills what its hardware knows). */
export interface BoxFacts {
  readonly battery?: { readonly percent: number; readonly charging: boolean };
  /** One line: "Synced 2 min ago", "Sync waiting for the home Wi-Fi". */
  readonly sync?: string;
  /** Errors in words (a missing SSD, a full vault). */
  readonly errors: readonly string[];
  /** The box's own status lines (card, camera, NAS, SSDs, power), as `fieldbackup status` prints them. */
  readonly lines?: readonly string[];
}

/** What the status page shows: current and past jobs, newest first, and the box. */
export interface WebStatus {
  readonly at: number;
  readonly jobs: readonly JobView[];
  readonly box: BoxFacts;
}

const MAX_PROBLEMS = 20;

export function jobView(status: JobStatus): JobView {
  const sum = (pick: (t: JobStatus['tiers'][number]) => number): number =>
    status.tiers.reduce((n, t) => n + pick(t), 0);
  return {
    jobId: status.jobId,
    source: { name: status.source.name, kind: status.source.kind },
    state: status.state,
    startedAt: status.startedAt,
    ...(status.endedAt === undefined ? {} : { endedAt: status.endedAt }),
    safeToFormat: status.safeToFormat,
    verdict: verdictLine(status),
    files: {
      done: sum((t) => t.copied.files + t.short.files + t.notCopied.files),
      total: sum((t) => t.total.files),
    },
    bytes: {
      done: sum((t) => t.copied.bytes + t.short.bytes + t.notCopied.bytes),
      total: sum((t) => t.total.bytes),
    },
    tiers: status.tiers.map((t) => ({
      tier: t.tier,
      copied: t.copied.captures,
      total: t.total.captures,
      pending: t.pending.captures,
      short: t.short.captures,
      notCopied: t.notCopied.captures,
      verified: t.verified.map((v) => ({ vault: v.vault, captures: v.amount.captures })),
    })),
    problems: [...status.short.map(shortFileLine), ...status.notCopied.map(notCopiedLine)].slice(
      0,
      MAX_PROBLEMS,
    ),
  };
}
