import {
  CaptureEditStore,
  CaptureStore,
  captureIdOf,
  StacksStore,
  type Catalog,
} from '../catalog/index.js';
import {
  errorMessage,
  isFieldBackupError,
  type Clock,
  type ContentHash,
  type ErrorCode,
  type JobId,
} from '../core/index.js';
import { collisionName, type Vault } from '../vault/index.js';
import { flushMhl } from './mhl-flush.js';
import { captureKeyOf } from './plan.js';
import { copyBetweenVaults } from './vault-copy.js';

/** A copy of a pick's file made on a vault that lacked it. */
export interface PickCopy {
  readonly hash: ContentHash;
  /** Vault label and vault-relative path of the new copy. */
  readonly vault: string;
  readonly path: string;
  /** Label of the vault it was copied from. */
  readonly from: string;
}

/** A copy that could not be made: the file (as the surviving copy names it) and the vault. */
export interface PickCopyProblem {
  readonly path: string;
  readonly vault: string;
  readonly code: ErrorCode;
  readonly message: string;
}

export interface PickCopyReport {
  readonly copied: readonly PickCopy[];
  readonly problems: readonly PickCopyProblem[];
}

const MAX_NAMES = 10_000;

/**
 * Which contents are picks: the pick of a stack (on any card), or a file of a capture the
 * photographer flagged as a pick. A pick never stays on one SSD: the stack economy leaves it
 * alone, and one it had already thinned is copied back (copyPicks).
 */
export class Picks {
  private readonly stacks: StacksStore;
  private readonly edits: CaptureEditStore;

  constructor(private readonly catalog: Catalog) {
    this.stacks = new StacksStore(catalog);
    this.edits = new CaptureEditStore(catalog);
  }

  has(hash: ContentHash): boolean {
    if (this.stacks.role(hash)?.pick === true) return true;
    for (const ref of this.catalog.referencesOf(hash))
      if (this.edits.get(captureIdOf(ref.sourceId, captureKeyOf(ref.relPath)))?.flag === 'pick')
        return true;
    return false;
  }

  /**
   * Contents of picks that one of `vaults` lacks while another of them holds it (the captures
   * the photographer flagged, and stack picks the economy had thinned before they were picks),
   * and picks still recorded as thinned (a crash after the copy back, before the release).
   */
  owed(vaults: readonly Vault[]): ContentHash[] {
    const hashes = new Set<ContentHash>();
    const captures = new CaptureStore(this.catalog);
    for (const id of this.edits.picked())
      for (const f of captures.get(id)?.files ?? []) hashes.add(f.hash);
    for (const { hash } of this.stacks.economised())
      if (this.stacks.role(hash)?.pick === true) hashes.add(hash);
    return [...hashes].filter((hash) => {
      const copies = this.catalog.object(hash)?.copies ?? {};
      const held = vaults.filter((v) => copies[v.id] !== undefined).length;
      return (held > 0 && held < vaults.length) || this.stacks.economyOf(hash) !== undefined;
    });
  }
}

/**
 * Gives each content a copy on every one of `vaults` (opened and locked by the caller) that
 * lacks one, from a vault that holds it, by the write protocol with an intent (a crash leaves
 * a copy recovery adopts); each copy is one catalog transaction and goes in the vault's next
 * ASC MHL generation, written here. A content with every copy is released from the stack
 * economy. A copy that cannot be made is reported with its file and vault; the rest go on.
 */
export async function copyPicks(
  hashes: Iterable<ContentHash>,
  vaults: readonly Vault[],
  catalog: Catalog,
  clock: Clock,
): Promise<PickCopyReport> {
  const copied: PickCopy[] = [];
  const problems: PickCopyProblem[] = [];
  const stacks = new StacksStore(catalog);
  let n = 0;
  for (const hash of hashes) {
    const object = catalog.object(hash);
    const source = vaults.find((v) => object?.copies[v.id] !== undefined);
    if (object === undefined || source === undefined) continue;
    const fromPath = object.copies[source.id]?.path ?? '';
    let complete = true;
    for (const target of vaults.filter((v) => object.copies[v.id] === undefined)) {
      try {
        const path = await freePath(catalog, target, fromPath);
        const intent = {
          vaultId: target.id,
          path,
          hash,
          size: object.size,
          jobId: 'pick-copies' as JobId,
          createdAt: clock.now().getTime(),
        };
        try {
          const modifiedMs = await copyBetweenVaults(
            { vault: source, path: fromPath },
            { vault: target, path },
            hash,
            {
              tempName: `pick-${clock.now().getTime()}-${n++}.part`,
              clock,
              beforePlace: () => catalog.recordIntents([intent]),
            },
          );
          const verifiedAt = clock.now().getTime();
          await catalog.commitFile({
            hash,
            size: object.size,
            copies: [{ vaultId: target.id, path, verifiedAt, modifiedMs }],
          });
        } catch (err) {
          // A file that reached its name (read-back failed) keeps its intent: recovery settles it.
          if (!(await target.exists(path).catch(() => true))) await catalog.dropIntents([intent]);
          throw err;
        }
        copied.push({ hash, vault: target.label, path, from: source.label });
      } catch (err) {
        complete = false;
        problems.push(problemOf(err, fromPath, target));
      }
    }
    // Released from the economy once it is no longer on fewer copies than it was left with.
    const economy = stacks.economyOf(hash);
    const held = Object.keys(catalog.object(hash)?.copies ?? {}).length;
    if (complete && economy !== undefined && held > economy.copies) await stacks.clearEconomy(hash);
  }
  for (const target of vaults.filter((v) => copied.some((c) => c.vault === v.label))) {
    try {
      await flushMhl(target, catalog, clock, 'picks copied back to this vault');
    } catch (err) {
      problems.push(problemOf(err, target.paths.mhl, target));
    }
  }
  return { copied, problems };
}

/** The path the copy takes on `vault`: the surviving copy's, or its first free collision name. */
async function freePath(catalog: Catalog, vault: Vault, base: string): Promise<string> {
  for (let attempt = 1; attempt <= MAX_NAMES; attempt++) {
    const candidate = collisionName(base, attempt);
    if (catalog.pathOwner(vault.id, candidate) === undefined && !(await vault.exists(candidate)))
      return candidate;
  }
  throw vault.problem(
    new Error(`no free name after ${MAX_NAMES} tries`),
    `no name for ${base}`,
    base,
  );
}

function problemOf(err: unknown, path: string, vault: Vault): PickCopyProblem {
  const code = isFieldBackupError(err) ? err.code : 'E_IO';
  return {
    path,
    vault: vault.label,
    code,
    message: `${path} could not be copied to vault ${vault.label}: ${errorMessage(err)}`,
  };
}

/** Copies every pick that a vault among `vaults` lacks (all of them opened and locked). */
export function copyOwedPicks(
  vaults: readonly Vault[],
  catalog: Catalog,
  clock: Clock,
): Promise<PickCopyReport> {
  if (vaults.length < 2) return Promise.resolve({ copied: [], problems: [] });
  return copyPicks(new Picks(catalog).owed(vaults), vaults, catalog, clock);
}
