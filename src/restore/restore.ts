import { join } from 'node:path';
import { CaptureStore, MetadataStore, type Catalog } from '../catalog/index.js';
import {
  FieldBackupError,
  errorMessage,
  isFieldBackupError,
  systemClock,
  type Clock,
  type ContentHash,
  type RestoreEvent,
} from '../core/index.js';
import { compareTags, type ExifToolMetadataReader, type TagSet } from '../media/index.js';
import { safeSegment, Vault } from '../vault/index.js';
import { restoreFile, type VaultCopy } from './restore-file.js';
import { searchCaptures } from './search/index.js';

export type RestoreLayout = 'original' | 'vault';

export interface RestoreOptions {
  readonly catalog: Catalog;
  /** Which captures (the search language); empty or absent: every capture. */
  readonly query?: string;
  /** Target folder; nothing in it is ever overwritten. */
  readonly to: string;
  /**
   * Vault roots to read from, preferred first; every other vault the catalog knows (where it
   * was last seen) is a fallback for copies that are missing or bad.
   */
  readonly vaults?: readonly string[];
  /** original: <card name>/<path on the card>; vault: the path under the vault's Photos/. */
  readonly layout?: RestoreLayout;
  /** Re-reads each restored file to compare its metadata with the catalog. */
  readonly reader: ExifToolMetadataReader;
  readonly clock?: Clock;
  readonly onEvent?: (event: RestoreEvent) => void;
}

type Done = Extract<RestoreEvent, { event: 'done' }>;

/** Opens the preferred vaults, then every other vault the catalog knows that can be reached. */
async function openVaults(catalog: Catalog, preferred: readonly string[]): Promise<Vault[]> {
  const out: Vault[] = [];
  for (const root of preferred) out.push(await Vault.open(root));
  const others = [...catalog.allVaults()].sort((a, b) => a.label.localeCompare(b.label));
  for (const record of others) {
    if (out.some((v) => v.id === record.id)) continue;
    try {
      const vault = await Vault.open(record.lastRoot);
      if (vault.id === record.id) out.push(vault);
    } catch {
      // Not mounted now: only a fallback, reported when a file needs it.
    }
  }
  return out;
}

/**
 * Restores the captures a query matches (all their files: RAW, JPEG, sidecars) from the vaults
 * to a folder: each file from a verified copy (falling back to another vault when one is
 * missing or bad, and saying so), checked by xxh128 read back from the medium, mtime restored,
 * then re-read with ExifTool and compared tag by tag with the catalog. Never overwrites: a
 * name taken by other bytes gets IMG_0001_2.CR2; the same bytes already there are left alone.
 */
export async function restore(options: RestoreOptions): Promise<Done> {
  const clock = options.clock ?? systemClock;
  const started = clock.monotonicMs();
  const emit = (e: RestoreEvent): void => options.onEvent?.(e);
  const store = new CaptureStore(options.catalog);
  const metadata = new MetadataStore(options.catalog);
  const query = options.query ?? '';
  const captures = searchCaptures(store, query, { limit: 0 }).captures;
  const vaults = await openVaults(options.catalog, options.vaults ?? []);
  const files = captures.flatMap((c) => c.files);
  emit({
    event: 'start',
    query,
    to: options.to,
    captures: captures.length,
    files: files.length,
    bytes: files.reduce((n, f) => n + f.size, 0),
    vaults: vaults.map((v) => v.ref),
  });
  const counts = { restored: 0, present: 0, failed: 0, mismatched: 0, bytes: 0 };
  let seq = 0;
  for (const capture of captures) {
    for (const file of capture.files) {
      const record = options.catalog.file(capture.sourceId, file.relPath);
      const copies = copiesOf(options.catalog, vaults, file.hash);
      const wanted =
        options.layout === 'vault'
          ? (copies[0]?.path ?? file.relPath)
          : `${safeSegment(capture.sourceName)}/${file.relPath}`;
      try {
        const done = await restoreFile(
          options.to,
          wanted,
          { hash: file.hash, size: file.size, mtimeMs: record?.mtimeMs ?? Date.now() },
          copies,
          `fieldbackup-restore-${process.pid}-${++seq}.part`,
        );
        for (const s of done.skipped)
          emit({
            event: 'warning',
            code: 'E_COPY_MISSING',
            message: `vault ${s.vault.label}: ${s.problem}; restored from ${done.vault?.label ?? 'another vault'} instead`,
            path: file.relPath,
            vault: s.vault.label,
          });
        counts[done.outcome]++;
        if (done.outcome === 'restored') counts.bytes += file.size;
        emit({
          event: 'file',
          path: done.path,
          original: file.relPath,
          hash: file.hash,
          bytes: file.size,
          outcome: done.outcome,
          ...(done.vault === undefined ? {} : { vault: done.vault.label }),
        });
        const differences = await compareMetadata(
          options,
          metadata,
          file.hash,
          join(options.to, done.path),
          copies,
        );
        if (differences.length > 0) {
          counts.mismatched++;
          emit({
            event: 'error',
            code: 'E_RESTORE_MISMATCH',
            message: `${done.path}: the restored file's metadata differs from the catalog in ${differences.length} tags: ${differences.slice(0, 10).join(', ')}${differences.length > 10 ? ', …' : ''}`,
            path: done.path,
            tags: differences,
          });
        }
      } catch (err) {
        counts.failed++;
        const problem = isFieldBackupError(err)
          ? err
          : new FieldBackupError('E_IO', errorMessage(err), { cause: err });
        emit({
          event: 'error',
          code: problem.code,
          message: `${file.relPath}: ${problem.message}`,
          path: file.relPath,
        });
      }
    }
  }
  const done: Done = {
    event: 'done',
    captures: captures.length,
    files: files.length,
    ...counts,
    durationMs: Math.round(clock.monotonicMs() - started),
    exitCode: counts.failed + counts.mismatched === 0 ? 0 : 1,
  };
  emit(done);
  return done;
}

function copiesOf(catalog: Catalog, vaults: readonly Vault[], hash: ContentHash): VaultCopy[] {
  const copies = catalog.object(hash)?.copies ?? {};
  return vaults.flatMap((vault) => {
    const copy = copies[vault.id];
    return copy === undefined ? [] : [{ vault, path: copy.path }];
  });
}

/**
 * Tags that differ between the restored file and the catalog. When the catalog's tags were read
 * by another ExifTool version, the vault copy is re-read instead (same bytes, same version).
 */
async function compareMetadata(
  options: RestoreOptions,
  metadata: MetadataStore,
  hash: ContentHash,
  restored: string,
  copies: readonly VaultCopy[],
): Promise<string[]> {
  const record = metadata.get(hash);
  const stored = metadata.tags(hash);
  // Nothing was read the first time (a failed read, not a file ExifTool rejects): nothing to compare.
  if (record === undefined || stored === undefined || Object.keys(stored).length === 0) return [];
  const reader = options.reader;
  let expected: TagSet = stored;
  if (record.exiftoolVersion !== (await reader.exiftoolVersion()) && copies[0] !== undefined)
    expected = await reader.readTags(copies[0].vault.photoPath(copies[0].path));
  return compareTags(expected, await reader.readTags(restored)).map((d) => d.tag);
}
