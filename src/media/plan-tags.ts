import type { ExifTool } from 'exiftool-vendored';
import { forEachConcurrent } from '../platform/index.js';
import { parseExifDate, type WallClockTime } from './wall-clock.js';

/** What the planner may know about a file before copying it: cheap to read, from the header only. */
export interface PlanTags {
  readonly captureTime?: WallClockTime;
  readonly make?: string;
  readonly model?: string;
  readonly serial?: string;
  readonly rating?: number;
  readonly label?: string;
  readonly keywords?: readonly string[];
}

export interface PlanTagReader {
  /** Tags per path; a file that cannot be read is simply absent from the map. */
  read(paths: readonly string[]): Promise<Map<string, PlanTags>>;
}

const TAGS = [
  'DateTimeOriginal',
  'CreateDate',
  'OffsetTimeOriginal',
  'Make',
  'Model',
  'SerialNumber',
  'Rating',
  'Label',
  'Keywords',
  'Subject',
];

/**
 * Reads plan tags with ExifTool's -fast2 (stops before maker notes and image data), only the
 * tags named above, from one long-lived ExifTool, a few files in flight.
 */
export class ExifToolPlanTagReader implements PlanTagReader {
  constructor(private readonly exiftool: ExifTool) {}

  async read(paths: readonly string[]): Promise<Map<string, PlanTags>> {
    const out = new Map<string, PlanTags>();
    const args = ['-fast2', ...TAGS.map((t) => `-${t}`)];
    await forEachConcurrent(paths, this.exiftool.options.maxProcs * 2, async (path) => {
      try {
        const raw = await this.exiftool.readRaw<
          Record<string, unknown> & Awaited<ReturnType<ExifTool['readRaw']>>
        >(path, args);
        out.set(path, toPlanTags(raw));
      } catch {
        // Unreadable metadata never stops a backup: the file is planned from its name and mtime.
      }
    });
    return out;
  }
}

export function toPlanTags(raw: Readonly<Record<string, unknown>>): PlanTags {
  const captureTime = parseExifDate(raw.DateTimeOriginal) ?? parseExifDate(raw.CreateDate);
  const keywords = [...asList(raw.Keywords), ...asList(raw.Subject)];
  return {
    ...(captureTime === undefined ? {} : { captureTime }),
    ...optionalString('make', raw.Make),
    ...optionalString('model', raw.Model),
    ...optionalString('serial', raw.SerialNumber),
    ...optionalString('label', raw.Label),
    ...(typeof raw.Rating === 'number' ? { rating: raw.Rating } : {}),
    ...(keywords.length > 0 ? { keywords: [...new Set(keywords)] } : {}),
  };
}

function optionalString<K extends string>(key: K, value: unknown): Partial<Record<K, string>> {
  if (typeof value === 'number') return { [key]: String(value) } as Record<K, string>;
  return typeof value === 'string' && value.trim() !== ''
    ? ({ [key]: value.trim() } as Record<K, string>)
    : {};
}

function asList(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  if (typeof value === 'string' || typeof value === 'number') return [String(value)];
  return [];
}
