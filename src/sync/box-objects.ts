import type { Catalog, FileRecord, ObjectRecord } from '../catalog/index.js';
import { DEFAULT_TIER, type ContentHash, type TierName } from '../core/index.js';
import { tierRank } from '../tiers/index.js';
import type { Vault } from '../vault/index.js';
import type { ManifestFileRef } from './manifest.js';

/** An object this box holds, with what the sync needs to place it on the NAS. */
export interface BoxObject {
  readonly hash: ContentHash;
  readonly size: number;
  /** The most important tier among the files whose content it is. */
  readonly tier: TierName;
  /** Earliest capture time of its files (ms, wall clock); objects no file refers to any more sort last. */
  readonly captureTime: number;
  readonly files: readonly ManifestFileRef[];
  /** Verified copies on the SSD vaults that are connected now. */
  readonly copies: readonly { readonly vault: Vault; readonly path: string }[];
  /**
   * The path it should have on the NAS: what the SSD vault's path template gives its first
   * file (the path before any collision suffix the SSD needed), else its path on the SSD.
   */
  readonly path: string;
}

/**
 * The catalog's objects as the sync sees them. Objects are described one at a time, so a
 * first sync of a large catalog holds in memory only the short keys of what it must send.
 */
export class BoxObjects {
  private readonly sourceNames = new Map<string, string>();

  constructor(
    private readonly catalog: Catalog,
    private readonly vaults: readonly Vault[],
    private readonly tierOrder?: readonly TierName[],
  ) {}

  /** Every object that has a verified copy on an SSD vault (connected or not). */
  *all(): Iterable<BoxObject> {
    for (const { hash, record } of this.catalog.allObjects()) {
      const described = this.describe(hash, record);
      if (described !== undefined) yield described;
    }
  }

  one(hash: ContentHash): BoxObject | undefined {
    const record = this.catalog.object(hash);
    return record === undefined ? undefined : this.describe(hash, record);
  }

  private describe(hash: ContentHash, record: ObjectRecord): BoxObject | undefined {
    const anyCopy = Object.values(record.copies)[0];
    if (anyCopy === undefined) return undefined;
    const copies = this.vaults
      .filter((v) => record.copies[v.id] !== undefined)
      .map((v) => ({ vault: v, path: record.copies[v.id]?.path ?? '' }));
    const refs = [...this.catalog.referencesOf(hash)]
      .map((r) => this.catalog.file(r.sourceId, r.relPath))
      .filter((f): f is FileRecord => f !== undefined && f.hash === hash)
      .sort((a, b) => a.recordedAt - b.recordedAt);
    const tier = refs
      .map((f) => f.tier)
      .reduce<TierName | undefined>(
        (best, t) =>
          best === undefined || tierRank(t, this.tierOrder) < tierRank(best, this.tierOrder)
            ? t
            : best,
        undefined,
      );
    const first = refs[0];
    const primary = copies[0];
    const rendered =
      first !== undefined &&
      primary !== undefined &&
      !primary.vault.template.source.includes('{camera}')
        ? primary.vault.template.render({
            captureTime: new Date(first.captureTime ?? first.mtimeMs),
            source: this.sourceName(first.sourceId),
            relPath: first.relPath,
          })
        : undefined;
    return {
      hash,
      size: record.size,
      tier: tier ?? DEFAULT_TIER,
      captureTime: Math.min(...refs.map((f) => f.captureTime ?? f.mtimeMs)),
      files: refs.map((f) => ({
        source: this.sourceName(f.sourceId),
        sourceId: f.sourceId,
        relPath: f.relPath,
        ...(f.captureTime === undefined ? {} : { captureTime: f.captureTime }),
      })),
      copies,
      path: rendered ?? primary?.path ?? anyCopy.path,
    };
  }

  private sourceName(id: string): string {
    let name = this.sourceNames.get(id);
    if (name === undefined) {
      name = this.catalog.source(id as FileRecord['sourceId'])?.identity.name ?? id;
      this.sourceNames.set(id, name);
    }
    return name;
  }
}
