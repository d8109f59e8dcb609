import type { ExifTool } from 'exiftool-vendored';
import { errorMessage, type MediaMetadata, type MetadataStatus } from '../../core/index.js';
import { normalize } from './normalize.js';
import { isFileSystemTag, type StoredTag, type TagSet } from './tag-set.js';

/** What reading one file's metadata gave: the full tag set, the normalized fields and how it went. */
export interface MetadataReading {
  readonly status: MetadataStatus;
  /** Why the file is unreadable (ExifTool's error, or the failure of the read itself). */
  readonly reason?: string;
  readonly warnings: readonly string[];
  /** Every tag but the file-system ones (name, folder, dates, permissions differ per copy). */
  readonly tags: TagSet;
  readonly metadata: MediaMetadata;
  readonly exiftoolVersion: string;
}

export interface MetadataReader {
  read(path: string): Promise<MetadataReading>;
}

/**
 * The arguments of a full read: all tags (-a, duplicates as CopyN), family-1 groups, printed
 * and raw values (-l), files over 2 GB; and -m (added by the reader), without which ExifTool
 * stops at 1000 list items (keywords, history) and skips some damaged structures. The price:
 * ExifTool's "minor" warnings are not reported. Restore re-reads with the same arguments.
 */
export const FULL_READ_ARGS: readonly string[] = [
  '-l',
  '-a',
  '-G1:4',
  '-api',
  'largefilesupport=1',
];

/** Warnings that say nothing is wrong with the file (more could be read with other options). */
const INFORMATIONAL = /ExtractEmbedded option may find more tags/;

function isStoredTag(v: unknown): v is StoredTag {
  return typeof v === 'object' && v !== null && 'val' in v;
}

/** Keeps ExifTool's printed value, and the raw one only when it differs. */
function storedTags(raw: Readonly<Record<string, unknown>>): Record<string, StoredTag> {
  const out: Record<string, StoredTag> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (isFileSystemTag(key) || !isStoredTag(value)) continue;
    out[key] =
      'num' in value && value.num !== value.val
        ? { val: value.val, num: value.num }
        : { val: value.val };
  }
  return out;
}

const values = (tags: TagSet, suffix: string): string[] =>
  Object.entries(tags)
    .filter(([k]) => k.startsWith('ExifTool:') && k.endsWith(`:${suffix}`))
    .map(([, t]) => String(t.val));

/**
 * Full metadata through one long-lived ExifTool (exiftool-vendored batches the requests over its
 * process pool). Never throws for a bad file: it is reported `unreadable` with the reason.
 */
export class ExifToolMetadataReader implements MetadataReader {
  private version: Promise<string> | undefined;

  constructor(private readonly exiftool: ExifTool) {
    if (exiftool.options.useMWG)
      throw new TypeError(
        'ExifToolMetadataReader needs an ExifTool made with useMWG: false (see createExifTool)',
      );
  }

  exiftoolVersion(): Promise<string> {
    this.version ??= this.exiftool.version();
    return this.version;
  }

  /** The raw tag set of a file (also what restore compares with the catalog). */
  async readTags(path: string): Promise<TagSet> {
    const raw = await this.exiftool.readRaw(path, {
      readArgs: [...FULL_READ_ARGS],
      useMWG: false,
      ignoreMinorErrors: true,
    });
    return storedTags(raw as unknown as Record<string, unknown>);
  }

  async read(path: string): Promise<MetadataReading> {
    const exiftoolVersion = await this.exiftoolVersion();
    let tags: TagSet;
    try {
      tags = await this.readTags(path);
    } catch (err) {
      return {
        status: 'unreadable',
        reason: `ExifTool could not read the file: ${errorMessage(err)}`,
        warnings: [],
        tags: {},
        metadata: {},
        exiftoolVersion,
      };
    }
    const errors = values(tags, 'Error');
    const warnings = values(tags, 'Warning');
    const serious = warnings.filter((w) => !INFORMATIONAL.test(w));
    const status: MetadataStatus =
      errors.length > 0 ? 'unreadable' : serious.length > 0 ? 'partial' : 'ok';
    return {
      status,
      ...(errors.length > 0 ? { reason: errors.join('; ') } : {}),
      warnings,
      tags,
      metadata: normalize(tags),
      exiftoolVersion,
    };
  }
}
