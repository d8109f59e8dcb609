import type { Catalog, FileRecord } from '../catalog/index.js';
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

/** Every object of the catalog that has a verified copy on an SSD vault. */
export function* boxObjects(
  catalog: Catalog,
  vaults: readonly Vault[],
  tierOrder?: readonly TierName[],
): Iterable<BoxObject> {
  const sourceNames = new Map<string, string>();
  const sourceName = (id: string): string => {
    let name = sourceNames.get(id);
    if (name === undefined) {
      name = catalog.source(id as FileRecord['sourceId'])?.identity.name ?? id;
      sourceNames.set(id, name);
    }
    return name;
  };
  for (const { hash, record } of catalog.allObjects()) {
    const anyCopy = Object.values(record.copies)[0];
    if (anyCopy === undefined) continue;
    const copies = vaults
      .filter((v) => record.copies[v.id] !== undefined)
      .map((v) => ({ vault: v, path: record.copies[v.id]?.path ?? '' }));
    const refs = [...catalog.referencesOf(hash)]
      .map((r) => catalog.file(r.sourceId, r.relPath))
      .filter((f): f is FileRecord => f !== undefined && f.hash === hash)
      .sort((a, b) => a.recordedAt - b.recordedAt);
    const tier = refs
      .map((f) => f.tier)
      .reduce<TierName | undefined>(
        (best, t) =>
          best === undefined || tierRank(t, tierOrder) < tierRank(best, tierOrder) ? t : best,
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
            source: sourceName(first.sourceId),
            relPath: first.relPath,
          })
        : undefined;
    yield {
      hash,
      size: record.size,
      tier: tier ?? DEFAULT_TIER,
      captureTime: Math.min(...refs.map((f) => f.captureTime ?? f.mtimeMs)),
      files: refs.map((f) => ({
        source: sourceName(f.sourceId),
        sourceId: f.sourceId,
        relPath: f.relPath,
        ...(f.captureTime === undefined ? {} : { captureTime: f.captureTime }),
      })),
      copies,
      path: rendered ?? primary?.path ?? anyCopy.path,
    };
  }
}
