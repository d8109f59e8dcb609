import type {
  Amount,
  JobFileLine,
  FileState,
  JobStatus,
  NotCopiedFile,
  ShortFile,
  TierName,
  TierStatus,
  VaultId,
  VerificationMode,
} from '../core/index.js';

/** One file of a job as the catalog has it, with the copies its content has now. */
export interface FileProgress extends JobFileLine {
  /** Verified copies of its content: vault id → how each was verified. */
  readonly copies: Readonly<Record<VaultId, VerificationMode>>;
}

export interface VaultName {
  readonly id: VaultId;
  readonly label: string;
}

/** A copy counts for a tier when it was verified at least as the tier requires. */
export function copyCounts(
  copy: VerificationMode | undefined,
  required: VerificationMode,
): boolean {
  return copy === 'read-back' || (copy === 'source-hash' && required === 'source-hash');
}

/** Vaults of the job holding a copy that counts for the file's tier. */
export function countingCopies(file: FileProgress, vaults: readonly VaultName[]): VaultName[] {
  return vaults.filter((v) => copyCounts(file.copies[v.id], file.verification));
}

export function fileState(file: FileProgress, vaults: readonly VaultName[]): FileState {
  if (file.progress === 'pending') return 'pending';
  const copies = countingCopies(file, vaults).length;
  if (copies >= file.copiesRequired) return 'secured';
  if (copies > 0) return 'short';
  return file.progress === 'waiting' ? 'waiting' : 'failed';
}

/**
 * The "safe to format" rule: every file of the card has every copy its tier requires, each
 * verified as its tier requires (read back from the medium, unless the tier accepts the
 * source hash). A file still queued, short of a copy, waiting or failed makes it unsafe.
 */
export function isSafeToFormat(
  files: readonly FileProgress[],
  vaults: readonly VaultName[],
): boolean {
  return files.every((f) => fileState(f, vaults) === 'secured');
}

const NONE: Amount = { captures: 0, files: 0, bytes: 0 };

/** What the box shows for a job: per tier, per vault, and the files that keep the card from being safe. */
export function jobStatus(
  job: Omit<JobStatus, 'tiers' | 'short' | 'notCopied' | 'safeToFormat'>,
  files: readonly FileProgress[],
  /** Files the job counted; fewer known files means some were never planned, so the card is not safe. */
  expectedFiles = files.length,
): JobStatus {
  const vaults = job.vaults;
  const states = files.map((f) => fileState(f, vaults));
  const tiers = new Map<TierName, FileProgress[]>();
  files.forEach((f) => tiers.set(f.tier, [...(tiers.get(f.tier) ?? []), f]));
  const stateOf = new Map(files.map((f, i) => [f, states[i] as FileState]));
  const rows = [...tiers.values()]
    .map((list) => tierRow(list, vaults, (f) => stateOf.get(f) as FileState))
    .sort((a, b) => a.rank - b.rank);
  const short: ShortFile[] = [];
  const notCopied: NotCopiedFile[] = [];
  files.forEach((f, i) => {
    const state = states[i];
    if (state === 'short') {
      short.push({
        path: f.relPath,
        tier: f.tier,
        required: f.copiesRequired,
        on: countingCopies(f, vaults).map((v) => v.label),
        reason: f.reason ?? 'fewer copies than its tier requires',
      });
    } else if (state === 'waiting' || state === 'failed') {
      notCopied.push({ path: f.relPath, tier: f.tier, state, reason: f.reason ?? 'not copied' });
    }
  });
  return {
    ...job,
    tiers: rows,
    short,
    notCopied,
    safeToFormat:
      job.state !== 'running' &&
      files.length >= expectedFiles &&
      states.every((s) => s === 'secured'),
  };
}

function tierRow(
  files: readonly FileProgress[],
  vaults: readonly VaultName[],
  stateOf: (f: FileProgress) => FileState,
): TierStatus {
  const first = files[0] as FileProgress;
  const captures = new Map<string, FileProgress[]>();
  for (const f of files) captures.set(f.captureKey, [...(captures.get(f.captureKey) ?? []), f]);
  const amount = (keep: (f: FileProgress) => boolean, wholeCapture = keep): Amount => {
    let a = NONE;
    for (const members of captures.values()) {
      const kept = members.filter(keep);
      a = {
        captures: a.captures + (members.every(wholeCapture) ? 1 : 0),
        files: a.files + kept.length,
        bytes: a.bytes + kept.reduce((n, f) => n + f.size, 0),
      };
    }
    return a;
  };
  // A capture is as far as its least advanced file: pending, then not copied, then short.
  const worst = (members: readonly FileProgress[]): FileState => {
    const s = members.map(stateOf);
    for (const state of ['pending', 'failed', 'waiting', 'short'] as const)
      if (s.includes(state)) return state;
    return 'secured';
  };
  const captureState = new Map<string, FileState>();
  for (const [key, members] of captures) captureState.set(key, worst(members));
  const inCaptureState =
    (...wanted: FileState[]) =>
    (f: FileProgress): boolean =>
      wanted.includes(captureState.get(f.captureKey) as FileState);
  const byFile =
    (...wanted: FileState[]) =>
    (f: FileProgress): boolean =>
      wanted.includes(stateOf(f));
  return {
    tier: first.tier,
    rank: first.rank,
    copiesRequired: first.copiesRequired,
    verification: first.verification,
    total: amount(() => true),
    copied: amount(byFile('secured'), inCaptureState('secured')),
    short: amount(byFile('short'), inCaptureState('short')),
    notCopied: amount(byFile('waiting', 'failed'), inCaptureState('waiting', 'failed')),
    pending: amount(byFile('pending'), inCaptureState('pending')),
    verified: vaults.map((v) => {
      const on = (f: FileProgress): boolean => copyCounts(f.copies[v.id], f.verification);
      return { vault: v.label, vaultId: v.id, amount: amount(on) };
    }),
  };
}
