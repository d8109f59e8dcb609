import { randomUUID } from 'node:crypto';

declare const brand: unique symbol;
/** A nominal type: a string that has been checked to be a particular kind of id. */
export type Brand<T, B extends string> = T & { readonly [brand]: B };

/** XXH3-128 of a file's bytes, as 32 lowercase hex digits (the canonical form xxhsum prints). */
export type ContentHash = Brand<string, 'ContentHash'>;
export type VaultId = Brand<string, 'VaultId'>;
export type SourceId = Brand<string, 'SourceId'>;
export type JobId = Brand<string, 'JobId'>;
/** A box (or a laptop running FieldBackup) syncing into a NAS: stable for the life of its catalog. */
export type BoxId = Brand<string, 'BoxId'>;

const HASH_RE = /^[0-9a-f]{32}$/;

export function isContentHash(value: string): value is ContentHash {
  return HASH_RE.test(value);
}

export function asContentHash(value: string): ContentHash {
  if (!isContentHash(value))
    throw new TypeError(`not an xxh128 hex digest: ${JSON.stringify(value)}`);
  return value;
}

export function newVaultId(): VaultId {
  return randomUUID() as VaultId;
}

export function newBoxId(): BoxId {
  return randomUUID() as BoxId;
}

export function newJobId(now: Date): JobId {
  // Time-ordered so that LMDB's key order is the order jobs ran in.
  const stamp = now.toISOString().replace(/[-:.]/g, '');
  return `${stamp}-${randomUUID().slice(0, 8)}` as JobId;
}
