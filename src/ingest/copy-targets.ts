import { FieldBackupError, type ContentHash } from '../core/index.js';
import { copyCounts, reserveBytes, reserveText, type TierPolicy } from '../tiers/index.js';
import type { Vault } from '../vault/index.js';
import type { IngestContext } from './context.js';
import type { PlannedFile } from './plan.js';
import type { SpaceClaim } from './space-ledger.js';

/** The vaults one file goes to under its tier's policy, and why others get no copy now. */
export interface CopyTargets {
  /** Vaults to write, with the space claimed on them; release after the write. */
  readonly claim: SpaceClaim;
  /** Why vaults that lack a copy do not get one now ("SSD-B is below the 1.0 GB reserve for standard files"). */
  readonly shortfalls: string[];
}

/**
 * Counts the copies the file's content already has that satisfy its tier (reading back, once,
 * a copy that was only checked against the source hash when the tier wants more), then picks
 * the vaults that get a new copy: enough for the tier's count, each with room left above the
 * tier's reserve. Below the reserve a tier writes only where there is room (`one-copy`) or not
 * at all (`wait`); a file that gets no copy at all then throws E_LOW_SPACE: it waits on the card.
 */
export async function chooseTargets(
  ctx: IngestContext,
  file: PlannedFile,
  hash: ContentHash | undefined,
  policy: TierPolicy,
): Promise<CopyTargets> {
  const available = ctx.vaults.available();
  const copies = hash === undefined ? {} : (ctx.catalog.object(hash)?.copies ?? {});
  let have = 0;
  const shortfalls: string[] = [];
  for (const vault of available) {
    const copy = copies[vault.id];
    if (copy === undefined) continue;
    if (copyCounts(copy.verification, policy.verification)) have++;
    else if (hash !== undefined && (await readBackHeld(ctx, vault, hash, copy.path))) have++;
    else {
      const problem = `the copy on ${vault.label} reads back wrong (fieldbackup scrub repairs it)`;
      shortfalls.push(problem);
      ctx.report({
        event: 'error',
        code: 'E_VERIFY_MISMATCH',
        message: problem,
        path: file.entry.relPath,
        vault: vault.label,
      });
    }
  }
  // A stack's non-pick frame under the stack economy keeps the copies the economy left it.
  const economised = hash === undefined ? undefined : ctx.economy?.copiesFor(hash);
  const required = Math.min(policy.copies, economised ?? policy.copies);
  const need = Math.max(0, required - have);
  const candidates = need === 0 ? [] : available.filter((v) => copies[v.id] === undefined);
  const low: { vault: Vault; full: boolean }[] = [];
  const claim = await ctx.space.claim(candidates, file.entry.size, (freeAfter, capacity) => {
    const roomy = candidates.filter(
      (v) => freeAfter(v) >= reserveBytes(policy.reserve, capacity(v)),
    );
    for (const v of candidates)
      if (!roomy.includes(v)) low.push({ vault: v, full: freeAfter(v) < 0 });
    const spaceStopsACopy = low.length > 0 && roomy.length < need;
    return spaceStopsACopy && policy.whenLow === 'wait' ? [] : roomy.slice(0, need);
  });
  const copiesAfter = have + claim.vaults.length;
  // Vaults left out for space matter only when the file ends short of its tier's copies.
  const skipped = copiesAfter < required ? low.filter((l) => !claim.vaults.includes(l.vault)) : [];
  shortfalls.push(...spaceReasons(skipped, policy));
  if (copiesAfter < required && skipped.length === 0 && shortfalls.length === 0) {
    const unavailable = ctx.vaults
      .status(ctx.catalog)
      .filter((v) => !v.available)
      .map((v) => v.label);
    shortfalls.push(
      unavailable.length > 0
        ? `${listOf(unavailable)} ${unavailable.length > 1 ? 'are' : 'is'} unavailable`
        : `only ${available.length} of the ${policy.copies} vaults it needs ${available.length === 1 ? 'is' : 'are'} given`,
    );
  }
  if (copiesAfter === 0 && skipped.length > 0) {
    claim.release();
    throw new FieldBackupError('E_LOW_SPACE', `waiting for space: ${shortfalls.join('; ')}`, {
      subject: { path: file.entry.relPath },
      retryable: true,
    });
  }
  const then =
    policy.whenLow === 'wait' && claim.vaults.length === 0
      ? 'wait on the card until there is room'
      : 'are copied only to vaults with room';
  for (const l of skipped)
    ctx.warnOnce(`${l.vault.id}:${file.tier}`, {
      event: 'warning',
      code: 'E_LOW_SPACE',
      message: `vault ${spaceReasons([l], policy).join('')}: ${file.tier} files ${then}; keep the card`,
      vault: l.vault.label,
    });
  return { claim, shortfalls };
}

/** "SSD-A and SSD-B are below the 1.0 GB reserve for bulk files", "SSD-B is full". */
function spaceReasons(
  low: readonly { vault: Vault; full: boolean }[],
  policy: TierPolicy,
): string[] {
  const below = low.filter((l) => !l.full).map((l) => l.vault.label);
  const full = low.filter((l) => l.full).map((l) => l.vault.label);
  const be = (n: number): string => (n > 1 ? 'are' : 'is');
  return [
    ...(below.length > 0
      ? [
          `${listOf(below)} ${be(below.length)} below the ${reserveText(policy.reserve)} reserve for ${policy.name} files`,
        ]
      : []),
    ...(full.length > 0 ? [`${listOf(full)} ${be(full.length)} full`] : []),
  ];
}

function listOf(labels: readonly string[]): string {
  return labels.length <= 1
    ? (labels[0] ?? '')
    : `${labels.slice(0, -1).join(', ')} and ${labels.at(-1) ?? ''}`;
}

/** Reads back a copy held before, for a tier that requires read-back; records it as read back when it matches. */
async function readBackHeld(
  ctx: IngestContext,
  vault: Vault,
  hash: ContentHash,
  path: string,
): Promise<boolean> {
  try {
    const back = await vault.io.readBack(vault.photoPath(path));
    if (back.hash !== hash) return false;
    await ctx.catalog.markVerified(hash, vault.id, ctx.clock.now().getTime());
    return true;
  } catch {
    return false;
  }
}
