import type {
  JobStacks,
  JobStatus,
  NotCopiedFile,
  ShortFile,
  SingleCopyFile,
  TierStatus,
} from '../core/index.js';
import { formatBytes } from './size.js';

/** What the texts need: a job's status, or an ingest's `done` event. */
export type StatusSummary = Pick<JobStatus, 'tiers' | 'short' | 'notCopied' | 'safeToFormat'> &
  Partial<Pick<JobStatus, 'stacks' | 'singleCopy'>>;

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** The verdict, in one line: the line the box leaves on its screen. */
export function verdictLine(status: StatusSummary): string {
  if (status.safeToFormat)
    return 'Every file has the verified copies its tier requires: the card is safe to format.';
  const single = status.short.filter((f) => f.on.length === 1).length;
  const fewer = status.short.length - single;
  const waiting = status.notCopied.filter((f) => f.state === 'waiting').length;
  const failed = status.notCopied.length - waiting;
  const pending = status.tiers.reduce((n, t) => n + t.pending.files, 0);
  const parts = [
    single > 0 ? `${plural(single, 'file')} on a single copy` : '',
    fewer > 0 ? `${plural(fewer, 'file')} with fewer copies than required` : '',
    waiting > 0 ? `${plural(waiting, 'file')} not copied (waiting for space)` : '',
    failed > 0 ? `${plural(failed, 'file')} failed` : '',
    pending > 0 ? `${plural(pending, 'file')} still being copied` : '',
  ].filter((p) => p !== '');
  const why = parts.length > 0 ? parts.join(', ') : 'not every file of the card is accounted for';
  return `NOT safe to format: keep the card. ${capitalise(why)}.`;
}

/** One line per tier: "critical: 2 of 2 captures copied (3.1 MB of 3.1 MB); SSD-A 2, SSD-B 2". */
export function tierLine(t: TierStatus): string {
  const extra = [
    t.short.captures > 0 ? `${t.short.captures} short of a copy` : '',
    t.notCopied.captures > 0 ? `${t.notCopied.captures} not copied` : '',
    t.pending.captures > 0 ? `${t.pending.captures} pending` : '',
  ].filter((p) => p !== '');
  const perVault = t.verified.map((v) => `${v.vault} ${v.amount.captures}`).join(', ');
  return (
    `${t.tier}: ${t.copied.captures} of ${plural(t.total.captures, 'capture')} copied ` +
    `(${formatBytes(t.copied.bytes)} of ${formatBytes(t.total.bytes)})` +
    `${extra.length > 0 ? `, ${extra.join(', ')}` : ''}; verified on ${perVault || 'no vault'}`
  );
}

export function shortFileLine(f: ShortFile): string {
  const where =
    f.on.length === 1
      ? `single copy, on ${f.on[0] ?? ''}`
      : `${f.on.length} of ${f.required} copies`;
  return `${f.path} (${f.tier}): ${where}: ${f.reason}`;
}

export function notCopiedLine(f: NotCopiedFile): string {
  return `${f.path} (${f.tier}): ${f.reason}`;
}

/** The whole status as text lines: tiers, the files that keep the card from being safe, the verdict. */
export function statusLines(status: StatusSummary, limit = Infinity): string[] {
  const list = <T>(items: readonly T[], line: (item: T) => string): string[] => [
    ...items.slice(0, limit).map((i) => `  ${line(i)}`),
    ...(items.length > limit ? [`  … and ${items.length - limit} more`] : []),
  ];
  return [
    ...status.tiers.map((t) => `  ${tierLine(t)}`),
    ...(status.short.length > 0
      ? [
          `Fewer copies than required (${plural(status.short.length, 'file')}):`,
          ...list(status.short, shortFileLine),
        ]
      : []),
    ...(status.notCopied.length > 0
      ? [
          `Not copied (${plural(status.notCopied.length, 'file')}):`,
          ...list(status.notCopied, notCopiedLine),
        ]
      : []),
    // No line for a job without stacks: most cards of a studio day have none.
    ...(status.stacks === undefined ||
    (status.stacks.state === 'done' && status.stacks.frames === 0)
      ? []
      : [stacksLine(status.stacks)]),
    ...(status.singleCopy !== undefined && status.singleCopy.length > 0
      ? [
          `Single copy by the stack economy (${plural(status.singleCopy.length, 'file')}, the picks keep every copy):`,
          ...list(status.singleCopy, singleCopyLine),
        ]
      : []),
    verdictLine(status),
  ];
}

/** "Stacks: 12 bursts, 3 brackets (64 frames)"; or that they are still being looked for. */
export function stacksLine(s: JobStacks): string {
  if (s.state === 'pending') return 'Stacks: still being looked for (in the background)';
  if (s.state === 'failed') return `Stacks: not found: ${s.reason ?? 'unknown reason'}`;
  return `Stacks: ${plural(s.bursts, 'burst')}, ${plural(s.brackets, 'bracket')} (${plural(s.frames, 'frame')})`;
}

export function singleCopyLine(f: SingleCopyFile): string {
  return `${f.path} (${f.tier}, ${f.kind}): single copy, on ${f.on}`;
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
