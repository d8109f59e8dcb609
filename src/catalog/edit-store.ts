import type { Database } from 'lmdb';
import type { SourceId, TierName, VaultId } from '../core/index.js';
import type { Catalog } from './catalog.js';
import { CaptureStore } from './capture-store.js';
import type { FileRecord } from './records.js';
import type { CaptureId } from './search/terms.js';

/** A photographer's pick or reject (Lightroom's flag). */
export type CaptureFlag = 'pick' | 'reject' | 'none';

/** What a photographer set on a capture from the box (culling in the field). */
export interface CaptureEdit {
  /** Stars, 0–5 (a reject is the flag, kept apart so un-rejecting restores the stars). */
  readonly rating?: number;
  /** Colour label as Lightroom names it ("Red"); empty for none. */
  readonly label?: string;
  readonly flag?: CaptureFlag;
}

export interface EditRecord extends CaptureEdit {
  /** The XMP sidecar written on each vault (path relative to the vault's Photos/). */
  readonly sidecars: Readonly<Record<VaultId, string>>;
  /** Each file's tier before a pick raised it, to give it back when the pick is undone. */
  readonly tierBefore?: Readonly<Record<string, TierName>>;
  /** Rating and label as the camera or the card's sidecar had them, before the first edit. */
  readonly original: { readonly rating?: number; readonly label?: string };
  readonly editedAt: number;
}

type FileKey = [SourceId, string];

/** The tier a pick raises a capture to: synced first, never left on one copy. */
export const PICK_TIER: TierName = 'critical';

/**
 * Edits made on the box (rating, label, pick/reject) and their effect on the catalog, in one
 * transaction: the edit record, each file's tier (a pick makes the capture critical, so sync
 * sends it first) and the capture's search document (`rating>=4`, `label:red`, `flag:pick`,
 * `tier:critical` find it at once).
 */
export class CaptureEditStore {
  private readonly edits: Database<EditRecord, CaptureId>;
  private readonly files: Database<FileRecord, FileKey>;
  private readonly captures: CaptureStore;

  constructor(private readonly catalog: Catalog) {
    this.edits = catalog.openDb('capture-edits');
    // The catalog's own file records: their tier is what sync orders by.
    this.files = catalog.openDb('files');
    this.captures = new CaptureStore(catalog);
  }

  get(id: CaptureId): EditRecord | undefined {
    return this.edits.get(id);
  }

  /** Captures the photographer picked (a pick lives on every vault: see ingest's pick copies). */
  *picked(): Iterable<CaptureId> {
    for (const { key, value } of this.edits.getRange()) if (value.flag === 'pick') yield key;
  }

  /** Stores an edit and applies it to tiers and the search index; false for an unknown capture. */
  async apply(
    id: CaptureId,
    edit: CaptureEdit,
    sidecars: Readonly<Record<VaultId, string>>,
    now: number,
  ): Promise<EditRecord | undefined> {
    return this.catalog.transaction(() => {
      const capture = this.captures.get(id);
      if (capture === undefined) return undefined;
      const previous = this.edits.get(id);
      const merged: CaptureEdit = { ...previous, ...edit };
      const picked = merged.flag === 'pick';
      let tierBefore = previous?.tierBefore;
      const tierOf = new Map<string, TierName>();
      for (const f of capture.files) {
        const record = this.files.get([capture.sourceId, f.relPath]);
        if (record === undefined) continue;
        let tier: TierName;
        if (picked) {
          tierBefore = { ...tierBefore, [f.relPath]: tierBefore?.[f.relPath] ?? record.tier };
          tier = PICK_TIER;
        } else {
          tier = tierBefore?.[f.relPath] ?? record.tier;
        }
        tierOf.set(f.relPath, tier);
        if (tier !== record.tier)
          this.files.putSync([capture.sourceId, f.relPath], { ...record, tier });
      }
      if (!picked) tierBefore = undefined;
      const original = previous?.original ?? {
        ...(capture.metadata.rating === undefined ? {} : { rating: capture.metadata.rating }),
        ...(capture.metadata.label === undefined ? {} : { label: capture.metadata.label }),
      };
      const record: EditRecord = {
        ...merged,
        original,
        sidecars: { ...previous?.sidecars, ...sidecars },
        ...(tierBefore === undefined ? {} : { tierBefore }),
        editedAt: now,
      };
      this.edits.putSync(id, record);
      const { docId: _d, terms: _t, updatedAt: _u, ...doc } = capture;
      const rating = merged.flag === 'reject' ? -1 : (merged.rating ?? original.rating);
      const label = merged.label ?? original.label;
      const { rating: _r, label: _l, ...rest } = doc.metadata;
      this.captures.putSync(
        [
          {
            ...doc,
            files: doc.files.map((f) => ({ ...f, tier: tierOf.get(f.relPath) ?? f.tier })),
            metadata: {
              ...rest,
              ...(rating === undefined ? {} : { rating }),
              ...(label === undefined || label === '' ? {} : { label }),
            },
            facets: {
              ...doc.facets,
              flag: merged.flag === undefined || merged.flag === 'none' ? [] : [merged.flag],
            },
          },
        ],
        now,
      );
      return record;
    });
  }
}
