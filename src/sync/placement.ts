import { FieldBackupError, type ContentHash } from '../core/index.js';
import { collisionName } from '../vault/index.js';
import type { Archive } from './archive.js';
import { conflictName, isEditableMetadata, isNewer } from './conflict-name.js';
import type { PathLocks } from './path-locks.js';
import type { RemoteVault } from './remote-vault.js';

const MAX_NAMES = 10_000;

/** What is at a NAS path now. */
export interface Occupant {
  readonly hash: ContentHash;
  readonly size: number;
  readonly mtimeMs: number;
  /** The box whose manifest lists it ('unknown' for a file no manifest lists). */
  readonly boxName: string;
}

/**
 * A sidecar version moved before an object is placed: an older one aside (to make way for a
 * newer), or a newer one back to its path (an interrupted swap left the path empty).
 */
export interface Relocation {
  readonly occupant: Occupant;
  readonly from: string;
  readonly to: string;
}

export interface Placement {
  /** 'adopt': the NAS already has this very content at `path` (an earlier run, or another box, put it there). */
  readonly kind: 'adopt' | 'place';
  readonly path: string;
  readonly relocate?: Relocation;
  /** This object is an older version, kept beside the current one. */
  readonly besideOf?: Occupant;
}

export interface PlacementContext {
  readonly vault: RemoteVault;
  readonly archive: Archive;
  /** NAS paths that objects in flight are about to take. */
  readonly claims: Set<string>;
  /** Held around deciding and placing an editable sidecar's path. */
  readonly pathLocks: PathLocks;
  readonly boxName: string;
  /** Bytes read back to identify a file no manifest lists. */
  onVerifiedBytes(bytes: number): void;
}

/**
 * Where an object goes on the NAS, never over another file: its own path when free; the same
 * content already there is adopted; a taken path gets IMG_0001_2.CR2 … for camera files,
 * while for an edited sidecar the newest version takes the path and the other is kept beside
 * it under a conflict name. The chosen paths are claimed; the caller releases them.
 */
export async function choosePlacement(
  ctx: PlacementContext,
  object: { readonly hash: ContentHash; readonly path: string; readonly mtimeMs: number },
): Promise<Placement> {
  const base = object.path;
  if (!isEditableMetadata(base)) return firstFree(ctx, base, object.hash);
  // The caller holds the path lock of `base`: no other object decides about it meanwhile.
  const occupant = await occupantOf(ctx, base);
  if (occupant === undefined) {
    const waiting = await newestKept(ctx, base);
    if (waiting !== undefined && isNewer(waiting.occupant, object)) {
      const beside = await firstFree(
        ctx,
        conflictName(base, object.mtimeMs, ctx.boxName),
        object.hash,
      );
      ctx.claims.add(base);
      return { ...beside, relocate: { ...waiting, to: base }, besideOf: waiting.occupant };
    }
    ctx.claims.add(base);
    return { kind: 'place', path: base };
  }
  if (occupant.hash === object.hash) return { kind: 'adopt', path: base };
  if (isNewer(object, occupant)) {
    const aside = await firstFree(ctx, conflictName(base, occupant.mtimeMs, occupant.boxName));
    ctx.claims.add(base);
    return { kind: 'place', path: base, relocate: { occupant, from: base, to: aside.path } };
  }
  const beside = await firstFree(ctx, conflictName(base, object.mtimeMs, ctx.boxName), object.hash);
  return { ...beside, besideOf: occupant };
}

/** The newest version kept beside `base` that is really there (moves are declared before they are made). */
async function newestKept(
  ctx: PlacementContext,
  base: string,
): Promise<{ occupant: Occupant; from: string } | undefined> {
  let newest: { occupant: Occupant; from: string } | undefined;
  for (const kept of ctx.archive.keptBeside(base)) {
    const occupant = await occupantOf(ctx, kept.path);
    if (occupant?.hash !== kept.hash) continue;
    if (newest === undefined || isNewer(occupant, newest.occupant))
      newest = { occupant, from: kept.path };
  }
  return newest;
}

/**
 * The first of name, name_2, name_3 … that is free (claimed before it is looked at, so two
 * objects in flight never pick the same one), or that already holds this content.
 */
async function firstFree(
  ctx: PlacementContext,
  name: string,
  hash?: ContentHash,
): Promise<Placement> {
  for (let attempt = 1; attempt <= MAX_NAMES; attempt++) {
    const candidate = collisionName(name, attempt);
    if (ctx.claims.has(candidate)) continue;
    ctx.claims.add(candidate);
    const occupant = await occupantOf(ctx, candidate);
    if (occupant === undefined) return { kind: 'place', path: candidate };
    ctx.claims.delete(candidate);
    if (occupant.hash === hash) return { kind: 'adopt', path: candidate };
  }
  throw new FieldBackupError(
    'E_IO',
    `no free name for ${name} on the NAS after ${MAX_NAMES} attempts`,
    {
      subject: { path: name, vault: ctx.vault.label },
    },
  );
}

/**
 * What is at a path: nothing, or a file whose content is known from the manifests (same
 * size) or found by hashing it on the NAS (a file no manifest lists yet).
 */
export async function occupantOf(
  ctx: PlacementContext,
  path: string,
): Promise<Occupant | undefined> {
  const remotePath = ctx.vault.photoPath(path);
  const st = await ctx.vault.dirs.stat(remotePath);
  if (st === undefined) return undefined;
  const known = ctx.archive.holder(path);
  if (known !== undefined && known.size === st.size) {
    const first = [...known.boxes][0];
    return {
      hash: known.hash,
      size: known.size,
      mtimeMs: known.mtimeMs,
      boxName: first === undefined ? 'unknown' : ctx.archive.boxName(first),
    };
  }
  const back = await ctx.vault.remote.hash(remotePath, { size: st.size });
  ctx.onVerifiedBytes(back.bytes);
  return { hash: back.hash, size: back.bytes, mtimeMs: st.mtimeMs, boxName: 'unknown' };
}
