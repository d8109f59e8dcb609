import { join, relative, resolve, sep } from 'node:path';
import {
  CaptureEditStore,
  CaptureStore,
  editedValues,
  type CaptureEdit,
  type CaptureId,
  type CaptureRecord,
  type Catalog,
  type EditRecord,
} from '../catalog/index.js';
import {
  errorMessage,
  FieldBackupError,
  type Clock,
  type Logger,
  type VaultId,
} from '../core/index.js';
import { copyPicks, lockVaults } from '../ingest/index.js';
import { writeFileAtomic } from '../platform/index.js';
import { PHOTOS_DIR } from '../vault/index.js';
import { mainFile } from './capture-files.js';
import { sidecarNames, sidecarXml } from './xmp-sidecar.js';

/** A vault the box has mounted: its id (from its marker), label and where it is. */
export interface MountedVault {
  readonly id: VaultId;
  readonly label: string;
  readonly root: string;
}

/** What a pick did to the capture's copies (a pick is never kept on one SSD). */
export interface PickCopiesOutcome {
  /** Files copied onto a mounted vault that lacked them: vault label and vault path. */
  readonly copied: readonly { readonly vault: string; readonly path: string }[];
  /** Copies that could not be made, naming the file and the vault. */
  readonly failed: readonly {
    readonly vault: string;
    readonly path: string;
    readonly reason: string;
  }[];
  /** Why some copies wait for the next time the vaults are opened (next card, or scrub). */
  readonly waiting?: string;
}

export interface EditOutcome {
  readonly record: EditRecord;
  /** Vault labels whose sidecar was written. */
  readonly written: readonly string[];
  /** Vaults that hold the capture but could not be written, with why. */
  readonly failed: readonly { readonly vault: string; readonly reason: string }[];
  readonly copies: PickCopiesOutcome;
}

const NO_COPIES: PickCopiesOutcome = { copied: [], failed: [] };

/**
 * Applies a photographer's edit: for a pick, first a copy of each of the capture's files on
 * every mounted vault that lacks one (the stack economy may have left it on one SSD); then an
 * XMP sidecar beside the capture's main file on every vault that holds it (the atomic-write
 * helper; never an original), then the catalog (tier, index) in one transaction. A vault that
 * fails is reported and the others still get the sidecar.
 */
export class CaptureEditor {
  private readonly captures: CaptureStore;
  private readonly edits: CaptureEditStore;
  /** Picks copy one after the other: a second quick pick waits for the vaults, not for a card. */
  private copying: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly catalog: Catalog,
    private readonly vaults: readonly MountedVault[],
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {
    this.captures = new CaptureStore(catalog);
    this.edits = new CaptureEditStore(catalog);
  }

  async edit(id: CaptureId, edit: CaptureEdit): Promise<EditOutcome | undefined> {
    const capture = this.captures.get(id);
    if (capture === undefined) return undefined;
    const previous = this.edits.get(id);
    const merged: CaptureEdit = { ...previous, ...edit };
    const pickCopies = merged.flag === 'pick' ? await this.queueCopy(capture) : NO_COPIES;
    const main = mainFile(capture);
    const copies = this.catalog.object(main.hash)?.copies ?? {};
    const original = previous?.original ?? capture.metadata;
    const now = this.clock.now();
    const xml = sidecarXml({
      ...editedValues(merged, original),
      pick: merged.flag === 'pick',
      modified: now.toISOString(),
    });
    const sidecars: Record<VaultId, string> = {};
    const written: string[] = [];
    const failed: { vault: string; reason: string }[] = [];
    for (const vault of this.vaults) {
      const copy = copies[vault.id];
      if (copy === undefined) continue;
      const rel = previous?.sidecars[vault.id] ?? this.sidecarPath(capture, vault.id, copy.path);
      try {
        await writeFileAtomic(this.insidePhotos(vault, rel), xml, { replace: true });
        sidecars[vault.id] = rel;
        written.push(vault.label);
      } catch (err) {
        failed.push({ vault: vault.label, reason: errorMessage(err) });
        this.logger.log('warn', 'sidecar not written', {
          vault: vault.label,
          path: rel,
          error: errorMessage(err),
        });
      }
    }
    if (written.length === 0)
      throw new FieldBackupError(
        'E_VAULT_MISSING',
        failed.length === 0
          ? `no mounted vault holds ${capture.captureKey}`
          : `the sidecar of ${capture.captureKey} could not be written: ${failed.map((f) => `${f.vault}: ${f.reason}`).join('; ')}`,
        { subject: { path: main.relPath } },
      );
    const record = await this.edits.apply(id, edit, sidecars, now.getTime());
    if (record === undefined) return undefined;
    return { record, written, failed, copies: pickCopies };
  }

  /**
   * Copies the capture's files onto every mounted vault that lacks them, with the vaults locked
   * (ingest's protocol: intent, read-back, catalog, ASC MHL). A vault that is missing or busy
   * with a card leaves the copy owed: the next ingest session or scrub makes it.
   */
  private queueCopy(capture: CaptureRecord): Promise<PickCopiesOutcome> {
    const run = this.copying.then(() => this.copyPick(capture));
    this.copying = run.catch(() => undefined);
    return run;
  }

  private async copyPick(capture: CaptureRecord): Promise<PickCopiesOutcome> {
    const lacking = [...new Set(capture.files.map((f) => f.hash))].filter((hash) => {
      const held = this.catalog.object(hash)?.copies ?? {};
      return this.vaults.some((v) => held[v.id] === undefined);
    });
    if (lacking.length === 0) return NO_COPIES;
    const locked = await lockVaults(this.vaults.map((v) => v.root));
    try {
      const report =
        locked.vaults.length < 2
          ? { copied: [], problems: [] }
          : await copyPicks(lacking, locked.vaults, this.catalog, this.clock);
      for (const p of report.problems)
        this.logger.log('error', 'pick not copied back', {
          vault: p.vault,
          path: p.path,
          error: p.message,
        });
      const outcome: PickCopiesOutcome = {
        copied: report.copied.map((c) => ({ vault: c.vault, path: c.path })),
        failed: report.problems.map((p) => ({ vault: p.vault, path: p.path, reason: p.message })),
      };
      return locked.problems.length === 0
        ? outcome
        : {
            ...outcome,
            waiting: `${locked.problems.join('; ')}: copied when the vaults are next opened (the next card, or fieldbackup scrub)`,
          };
    } finally {
      await locked.release();
    }
  }

  /** The sidecar's name on a vault: the usual one, unless an original holds it (any case). */
  private sidecarPath(capture: CaptureRecord, vaultId: VaultId, mainPath: string): string {
    const taken = new Set<string>();
    for (const f of capture.files) {
      const path = this.catalog.object(f.hash)?.copies[vaultId]?.path;
      if (path !== undefined) taken.add(path.toLowerCase());
    }
    const [usual, fallback] = sidecarNames(mainPath);
    const free = (p: string): boolean =>
      !taken.has(p.toLowerCase()) && this.catalog.pathOwner(vaultId, p) === undefined;
    if (free(usual)) return usual;
    if (free(fallback)) return fallback;
    throw new FieldBackupError('E_UNSAFE_NAME', `no free sidecar name beside ${mainPath}`, {
      subject: { path: mainPath, vault: vaultId },
    });
  }

  /** The absolute path of a Photos/-relative path, refusing anything that leaves Photos/. */
  private insidePhotos(vault: MountedVault, rel: string): string {
    const photos = resolve(vault.root, PHOTOS_DIR);
    const abs = resolve(photos, rel);
    if (relative(photos, abs).startsWith('..') || !abs.startsWith(photos + sep))
      throw new FieldBackupError('E_UNSAFE_NAME', `${rel} is outside the vault's ${PHOTOS_DIR}/`, {
        subject: { path: rel, vault: vault.label },
      });
    return join(abs);
  }
}
