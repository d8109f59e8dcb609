import type { BoxIdentity, Catalog } from '../catalog/index.js';
import {
  DEFAULT_TIER,
  FieldBackupError,
  type Clock,
  type IngestProblemEvent,
  type SyncConflictEvent,
} from '../core/index.js';
import type { BoxObject } from './box-objects.js';
import { isEditableMetadata } from './conflict-name.js';
import type { ManifestMove, ManifestObject } from './manifest.js';
import { choosePlacement, type PlacementContext, type Relocation } from './placement.js';
import { remoteDirname } from './remote-path.js';
import { localMtime, sendCopy, type SendContext } from './send-copy.js';

/** How often a copy that reads back wrong on the NAS is sent again before the object fails. */
const MAX_WRITES = 3;
/** Decisions retried when a chosen path is taken between choosing and placing. */
const MAX_PLACEMENTS = 5;

export interface PushContext extends PlacementContext, SendContext {
  readonly catalog: Catalog;
  readonly box: BoxIdentity;
  readonly clock: Clock;
  readonly signal?: AbortSignal;
  report(
    problem: Omit<IngestProblemEvent, 'event'> & { readonly event: 'warning' | 'error' },
  ): void;
  onBytesSent(bytes: number): void;
  onConflict(event: SyncConflictEvent): void;
  /** Writes a manifest generation declaring a move before it is made. */
  declareMove(move: ManifestMove, unlisted: ManifestObject | undefined): Promise<void>;
}

export interface PushResult {
  readonly outcome: 'sent' | 'adopted';
  readonly path: string;
  readonly bytesSent: number;
}

/**
 * Brings one object to the NAS: choose its path → send it to a temporary (hashing the SSD
 * copy as it is read) → fsync → a rename that never replaces → read it back (or hash it on
 * the NAS) → record it in the catalog. Throws for what stops this object; NAS failures come
 * as errno errors for the caller to classify.
 */
export async function pushObject(ctx: PushContext, obj: BoxObject): Promise<PushResult> {
  const release = isEditableMetadata(obj.path) ? await ctx.pathLocks.acquire(obj.path) : undefined;
  try {
    return await pushUnlocked(ctx, obj);
  } finally {
    release?.();
  }
}

async function pushUnlocked(ctx: PushContext, obj: BoxObject): Promise<PushResult> {
  const mtimeMs = await localMtime(obj);
  const remote = ctx.vault.remote;
  let tmp: string | undefined;
  let bytesSent = 0;
  let writes = 0;
  try {
    for (let attempt = 1; attempt <= MAX_PLACEMENTS; attempt++) {
      const placement = await choosePlacement(ctx, { hash: obj.hash, path: obj.path, mtimeMs });
      try {
        if (placement.kind === 'place' && tmp === undefined) {
          tmp = await sendCopy(ctx, obj, mtimeMs);
          bytesSent += obj.size;
        }
        if (placement.relocate !== undefined) await relocate(ctx, obj, placement.relocate);
        if (placement.kind === 'adopt' || tmp === undefined) {
          await record(ctx, obj, placement.path, mtimeMs);
          return { outcome: 'adopted', path: placement.path, bytesSent };
        }
        const final = ctx.vault.photoPath(placement.path);
        await ctx.vault.dirs.ensureDir(remoteDirname(final));
        if ((await remote.place(tmp, final)) === 'exists') {
          // Someone else's file (a person copying into the share): look at the folder again.
          ctx.vault.dirs.forget(final);
          continue;
        }
        tmp = undefined;
        ctx.vault.dirs.note(final, { kind: 'file', size: obj.size, mtimeMs });
        const back = await remote.hash(final, { signal: ctx.signal, size: obj.size });
        ctx.onVerifiedBytes(back.bytes);
        if (back.hash === obj.hash && back.bytes === obj.size) {
          await record(ctx, obj, placement.path, mtimeMs);
          if (placement.besideOf !== undefined) {
            ctx.onConflict({
              event: 'conflict',
              path: obj.path,
              current: placement.besideOf.hash,
              keptAs: placement.path,
              kept: obj.hash,
            });
          }
          return { outcome: 'sent', path: placement.path, bytesSent };
        }
        const kept = await ctx.vault.quarantine(placement.path, ctx.clock.now());
        ctx.report({
          event: 'warning',
          code: 'E_VERIFY_MISMATCH',
          message: `${placement.path} read back wrong from the NAS (${back.hash}, expected ${obj.hash}); kept in ${kept} and sent again`,
          path: placement.path,
          vault: ctx.vault.label,
        });
        if (++writes >= MAX_WRITES) {
          throw new FieldBackupError(
            'E_VERIFY_MISMATCH',
            `${placement.path} read back wrong from the NAS ${MAX_WRITES} times; not synced`,
            { subject: { path: placement.path, vault: ctx.vault.label } },
          );
        }
      } finally {
        ctx.claims.delete(placement.path);
        if (placement.relocate !== undefined) ctx.claims.delete(placement.relocate.to);
      }
    }
    throw new FieldBackupError(
      'E_IO',
      `${obj.path}: every path chosen on the NAS was taken meanwhile`,
      {
        subject: { path: obj.path, vault: ctx.vault.label },
        retryable: true,
      },
    );
  } finally {
    if (tmp !== undefined) await remote.remove(tmp).catch(() => undefined);
  }
}

/**
 * Moves another version of a sidecar (aside to make way, or back to its path), declared in a
 * manifest generation first so that a box stopping half-way leaves a move others finish.
 */
async function relocate(ctx: PushContext, obj: BoxObject, move: Relocation): Promise<void> {
  const { occupant, from, to } = move;
  const known = ctx.archive.object(occupant.hash) !== undefined;
  const entry: ManifestObject = {
    hash: occupant.hash,
    size: occupant.size,
    path: to,
    mtimeMs: occupant.mtimeMs,
    tier: DEFAULT_TIER,
    files: [],
  };
  await ctx.declareMove({ hash: occupant.hash, from, to }, known ? undefined : entry);
  const [src, dst] = [ctx.vault.photoPath(from), ctx.vault.photoPath(to)];
  await ctx.vault.dirs.ensureDir(remoteDirname(dst));
  if ((await ctx.vault.remote.place(src, dst)) === 'exists') {
    ctx.vault.dirs.forget(dst);
    throw new FieldBackupError(
      'E_IO',
      `${to} appeared on the NAS while ${from} was being moved there`,
      {
        subject: { path: to, vault: ctx.vault.label },
        retryable: true,
      },
    );
  }
  ctx.vault.dirs.note(src, undefined);
  ctx.vault.dirs.note(dst, { kind: 'file', size: occupant.size, mtimeMs: occupant.mtimeMs });
  if (known) ctx.archive.move(occupant.hash, to);
  else ctx.archive.locate(entry);
  const mine = ctx.catalog.sync.pushed(ctx.vault.id, occupant.hash);
  if (mine !== undefined)
    await ctx.catalog.sync.recordPushed(ctx.vault.id, occupant.hash, { ...mine, path: to });
  if (to !== obj.path)
    ctx.onConflict({
      event: 'conflict',
      path: from,
      current: obj.hash,
      keptAs: to,
      kept: occupant.hash,
    });
}

async function record(
  ctx: PushContext,
  obj: BoxObject,
  path: string,
  mtimeMs: number,
): Promise<void> {
  await ctx.catalog.sync.recordPushed(ctx.vault.id, obj.hash, {
    path,
    size: obj.size,
    mtimeMs,
    verifiedAt: ctx.clock.now().getTime(),
  });
  ctx.archive.locate({ hash: obj.hash, size: obj.size, mtimeMs, tier: obj.tier, path });
}
