import type { Database } from 'lmdb';
import type { MediaMetadata, SourceId, TierName, VaultId } from '../core/index.js';
import type { Catalog } from './catalog.js';
import { CaptureStore } from './capture-store.js';
import type { FileRecord } from './records.js';
import type { CaptureId, DocFile, SearchDoc } from './search/terms.js';

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

/** Rating and label as the camera or the card's sidecar had them: what an edit falls back to. */
export interface CameraValues {
  readonly rating?: number;
  readonly label?: string;
}

export interface EditRecord extends CaptureEdit {
  /** The XMP sidecar written on each vault (path relative to the vault's Photos/). */
  readonly sidecars: Readonly<Record<VaultId, string>>;
  /** Each file's tier before a pick raised it, to give it back when the pick is undone. */
  readonly tierBefore?: Readonly<Record<string, TierName>>;
  /**
   * Rating and label as the camera or the card's sidecar have them: taken at the first edit,
   * brought up to date whenever the capture's metadata is read again (a RAW indexed after its
   * JPEG was rated, a reindex).
   */
  readonly original: CameraValues;
  readonly editedAt: number;
}

type FileKey = [SourceId, string];

/** The tier a pick raises a capture to: synced first, never left on one copy. */
export const PICK_TIER: TierName = 'critical';

/** Rating (-1 for a reject) and label of a capture: the edit over the camera's values. */
export function editedValues(edit: CaptureEdit, camera: CameraValues): CameraValues {
  const rating = edit.flag === 'reject' ? -1 : (edit.rating ?? camera.rating);
  const label = edit.label ?? camera.label;
  return {
    ...(rating === undefined ? {} : { rating }),
    ...(label === undefined || label === '' ? {} : { label }),
  };
}

function cameraValuesOf(m: MediaMetadata): CameraValues {
  return {
    ...(m.rating === undefined ? {} : { rating: m.rating }),
    ...(m.label === undefined ? {} : { label: m.label }),
  };
}

/** A search document with an edit over the camera's values: rating, label and the `flag` facet. */
function overlay(doc: SearchDoc, edit: CaptureEdit, camera: CameraValues): SearchDoc {
  const { rating: _r, label: _l, ...rest } = doc.metadata;
  return {
    ...doc,
    metadata: { ...rest, ...editedValues(edit, camera) },
    facets: {
      ...doc.facets,
      flag: edit.flag === undefined || edit.flag === 'none' ? [] : [edit.flag],
    },
  };
}

/**
 * Edits made on the box (rating, label, pick/reject) and their effect on the catalog, in one
 * transaction: the edit record, each file's tier (a pick makes the capture critical, so sync
 * sends it first) and the capture's search document (`rating>=4`, `label:red`, `flag:pick`,
 * `tier:critical` find it at once). Documents rebuilt from the files' metadata later (indexing,
 * a reindex) go through `overlaySync`, so the edit stays over the camera's values.
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
      const original = previous?.original ?? cameraValuesOf(capture.metadata);
      const { files, tierBefore } = this.tiersSync(
        capture,
        merged.flag === 'pick',
        previous?.tierBefore,
      );
      const record: EditRecord = {
        ...merged,
        original,
        sidecars: { ...previous?.sidecars, ...sidecars },
        ...(tierBefore === undefined ? {} : { tierBefore }),
        editedAt: now,
      };
      this.edits.putSync(id, record);
      const { docId: _d, terms: _t, updatedAt: _u, ...doc } = capture;
      this.captures.putSync([overlay({ ...doc, files }, merged, original)], now);
      return record;
    });
  }

  /**
   * A capture's document as built from its files' metadata, with the photographer's edit over
   * it. Runs inside the transaction that stores the document: an edit committed before is
   * applied here, one committed after applies itself, so neither order loses it. The camera's
   * values the document was built from become the edit's `original` (what un-rejecting or
   * clearing a label falls back to), and a file that joined a picked capture is raised too.
   */
  overlaySync(doc: SearchDoc): SearchDoc {
    const record = this.edits.get(doc.captureId);
    if (record === undefined) return doc;
    const original = cameraValuesOf(doc.metadata);
    const { files, tierBefore } = this.tiersSync(doc, record.flag === 'pick', record.tierBefore);
    const grew =
      Object.keys(tierBefore ?? {}).length !== Object.keys(record.tierBefore ?? {}).length;
    if (
      grew ||
      original.rating !== record.original.rating ||
      original.label !== record.original.label
    )
      this.edits.putSync(doc.captureId, {
        ...record,
        original,
        ...(tierBefore === undefined ? {} : { tierBefore }),
      });
    return overlay({ ...doc, files }, record, original);
  }

  /**
   * Each file's tier with the capture picked (raised, the tier before it kept) or not (given
   * back); file records that change are written in the caller's transaction.
   */
  private tiersSync(
    doc: Pick<SearchDoc, 'sourceId' | 'files'>,
    picked: boolean,
    before: Readonly<Record<string, TierName>> | undefined,
  ): { files: DocFile[]; tierBefore?: Readonly<Record<string, TierName>> } {
    let tierBefore = before;
    const files = doc.files.map((f) => {
      const record = this.files.get([doc.sourceId, f.relPath]);
      if (record === undefined) return f;
      let tier: TierName;
      if (picked) {
        tierBefore = { ...tierBefore, [f.relPath]: tierBefore?.[f.relPath] ?? record.tier };
        tier = PICK_TIER;
      } else {
        tier = tierBefore?.[f.relPath] ?? record.tier;
      }
      if (tier !== record.tier) this.files.putSync([doc.sourceId, f.relPath], { ...record, tier });
      return { ...f, tier };
    });
    return { files, ...(picked && tierBefore !== undefined ? { tierBefore } : {}) };
  }
}
