import type { ExifTool } from 'exiftool-vendored';
import { forEachConcurrent } from '../../platform/index.js';
import { parseExifDate } from '../wall-clock.js';

/**
 * What the camera says about a frame that helps grouping, when it says it: the capture time to
 * the sub-second, its drive mode, whether it is part of an exposure bracket and at which step,
 * its number in a burst, its exposure, and the photographer's rating. Every field is optional:
 * stripped files and other tools' JPEGs have none, and pixels alone then decide.
 */
export interface CaptureHints {
  /** Camera wall clock as if UTC, milliseconds (sub-seconds when the camera records them). */
  readonly captureTime?: number;
  /** Continuous drive (burst) was on. */
  readonly burst?: boolean;
  /** Exposure bracketing (AEB) was on, or EXIF ExposureMode says "Auto bracket". */
  readonly bracket?: boolean;
  /** This frame's bracket step or exposure compensation, EV. */
  readonly exposureBias?: number;
  /** Exposure in EV at ISO 100 from shutter, aperture and ISO (brighter scene → higher). */
  readonly exposureValue?: number;
  /** The camera's number for this frame within a sequence or burst. */
  readonly sequence?: number;
  /** An identifier the camera gives every frame of one burst (Apple's BurstUUID). */
  readonly burstId?: string;
  readonly rating?: number;
}

/** Reads hints for files; a file whose metadata cannot be read simply has none. */
export interface HintReader {
  read(paths: readonly string[]): Promise<Map<string, CaptureHints>>;
}

/** The tags asked for: standard EXIF plus the maker-note tags of the major makes. */
export const HINT_TAGS: readonly string[] = [
  'DateTimeOriginal',
  'SubSecTimeOriginal',
  'CreateDate',
  'ExposureMode',
  'ExposureCompensation',
  'ExposureTime',
  'FNumber',
  'ISO',
  'Rating',
  // Canon
  'ContinuousDrive',
  'AEBBracketValue',
  'BracketMode',
  'BracketValue',
  'BracketShotNumber',
  // Nikon, Sony, Fujifilm, Olympus, Panasonic, Pentax
  'ShootingMode',
  'ReleaseMode',
  'DriveMode',
  'BurstMode',
  'AutoBracketing',
  'BracketSettings',
  'ExposureBracketValue',
  'SequenceNumber',
  'SequenceImageNumber',
  // Apple
  'BurstUUID',
];

const BURST_WORDS = /continuous|burst|high.?speed|sequential|\bC[HL]\b|pre-?shot|pro capture/i;
const BRACKET_WORDS = /bracket|\bAEB\b/i;
const NOT_ON = /^(off|none|no|0|single|n\/a|)$/i;

/** Hints from ExifTool's (print-converted) tags; unknown or odd values are ignored. */
export function parseHints(raw: Readonly<Record<string, unknown>>): CaptureHints {
  const out: {
    -readonly [K in keyof CaptureHints]: CaptureHints[K];
  } = {};
  const time = parseExifDate(raw.DateTimeOriginal) ?? parseExifDate(raw.CreateDate);
  if (time !== undefined) {
    const sub = textOf(raw.SubSecTimeOriginal).replace(/\D/g, '');
    const ms = time.wallClock.getTime();
    out.captureTime =
      sub === '' ? ms : Math.floor(ms / 1000) * 1000 + Math.round(Number(`0.${sub}`) * 1000);
  }
  const modes = ['ContinuousDrive', 'ShootingMode', 'ReleaseMode', 'DriveMode', 'BurstMode']
    .map((t) => raw[t])
    .filter((v): v is string => typeof v === 'string');
  if (modes.some((m) => BURST_WORDS.test(m))) out.burst = true;
  const bracketModes = [...modes, raw.BracketMode, raw.AutoBracketing, raw.BracketSettings]
    .filter((v): v is string => typeof v === 'string')
    .filter((v) => !NOT_ON.test(v.trim()));
  if (
    textOf(raw.ExposureMode).toLowerCase().includes('bracket') ||
    bracketModes.some((m) => BRACKET_WORDS.test(m) || m === 'On') ||
    nonZero(evOf(raw.AEBBracketValue)) ||
    nonZero(evOf(raw.ExposureBracketValue))
  )
    out.bracket = true;
  const bias = evOf(raw.BracketValue) ?? evOf(raw.ExposureCompensation);
  if (bias !== undefined) out.exposureBias = bias;
  const ev = exposureValue(raw.ExposureTime, raw.FNumber, raw.ISO);
  if (ev !== undefined) out.exposureValue = ev;
  const seq = [raw.SequenceNumber, raw.SequenceImageNumber, raw.BracketShotNumber]
    .map(numberOf)
    .find((n) => n !== undefined && n > 0);
  if (seq !== undefined) out.sequence = seq;
  if (typeof raw.BurstUUID === 'string' && raw.BurstUUID !== '') out.burstId = raw.BurstUUID;
  const rating = numberOf(raw.Rating);
  if (rating !== undefined && rating >= 0 && rating <= 5) out.rating = rating;
  return out;
}

/** "+1/3", "-2", "0.7", 1 → EV; anything else → undefined. */
export function evOf(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v !== 'string') return undefined;
  const m = /^\s*([+-]?)\s*(\d+(?:\.\d+)?)(?:\s+(\d+)\/(\d+)|\/(\d+))?/.exec(v);
  if (m === null) return undefined;
  const sign = m[1] === '-' ? -1 : 1;
  const whole = Number(m[2]);
  const value =
    m[5] !== undefined
      ? whole / Number(m[5])
      : m[3] !== undefined
        ? whole + Number(m[3]) / Number(m[4])
        : whole;
  return sign * value;
}

/** A tag's value as text: numbers and strings; anything else (a struct) is no text. */
function textOf(v: unknown): string {
  return typeof v === 'string' || typeof v === 'number' ? String(v) : '';
}

function nonZero(v: number | undefined): boolean {
  return v !== undefined && Math.abs(v) > 1e-6;
}

function numberOf(v: unknown): number | undefined {
  const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : undefined;
}

/** EV100 = log2(N² / t) − log2(ISO / 100); what a bracket changes between frames. */
function exposureValue(time: unknown, fNumber: unknown, iso: unknown): number | undefined {
  const t = typeof time === 'string' && time.includes('/') ? evOf(time) : numberOf(time);
  const n = numberOf(fNumber);
  const s = numberOf(iso);
  if (t === undefined || n === undefined || s === undefined || t <= 0 || n <= 0 || s <= 0)
    return undefined;
  return Math.log2((n * n) / t) - Math.log2(s / 100);
}

/**
 * Reads hints with one long-lived ExifTool: maker notes included (`-fast` skips only the data
 * after the image), only the tags above, a few files in flight.
 */
export class ExifToolHintReader implements HintReader {
  constructor(private readonly exiftool: ExifTool) {}

  async read(paths: readonly string[]): Promise<Map<string, CaptureHints>> {
    const out = new Map<string, CaptureHints>();
    const args = ['-fast', ...HINT_TAGS.map((t) => `-${t}`)];
    await forEachConcurrent(paths, this.exiftool.options.maxProcs * 2, async (path) => {
      try {
        const raw = await this.exiftool.readRaw(path, args);
        out.set(path, parseHints(raw as unknown as Record<string, unknown>));
      } catch {
        // No metadata is not an error here: the frame is grouped by its pixels.
      }
    });
    return out;
  }
}
