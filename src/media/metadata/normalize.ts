import type { DriveMode, GeoPoint, HistoryEvent, MediaMetadata } from '../../core/index.js';
import { parseExifDate, type WallClockTime } from '../wall-clock.js';
import { TagIndex, tagName, type TagSet } from './tag-set.js';

const ANY = ['**'];
/** Where the standard tags live, most authoritative first (EXIF, then XMP, then the rest). */
const EXIF = ['ExifIFD', 'IFD0', 'XMP-exif', 'XMP-exifEX', 'XMP-tiff', '**'];

const str = (v: unknown): string | undefined => {
  if (typeof v === 'number') return String(v);
  if (typeof v !== 'string') return undefined;
  const s = v.trim();
  return s === '' ? undefined : s;
};
const num = (v: unknown): number | undefined => {
  const n =
    typeof v === 'number'
      ? v
      : typeof v === 'string' && v.trim() !== ''
        ? Number(v.trim().split(/\s+/)[0])
        : NaN;
  return Number.isFinite(n) ? n : undefined;
};
const list = (v: unknown): string[] =>
  (Array.isArray(v) ? v : v === undefined ? [] : [v])
    .map(str)
    .filter((s): s is string => s !== undefined);

/** Capture time sources, best first: sub-second EXIF, EXIF, XMP, then what videos and old raws carry. */
const TIME_SOURCES: readonly [string, readonly string[]][] = [
  ['SubSecDateTimeOriginal', ['Composite']],
  [
    'DateTimeOriginal',
    ['ExifIFD', 'XMP-exif', 'XMP-photoshop', 'H264', 'CanonRaw', 'Nikon', 'RIFF', 'SigmaRaw', '**'],
  ],
  ['DateCreated', ['XMP-photoshop', 'XMP-xmp']],
  ['DateTimeCreated', ['Composite']],
  ['SubSecCreateDate', ['Composite']],
  ['CreateDate', ['ExifIFD', 'XMP-xmp', 'XMP-exif']],
];

function captureTime(t: TagIndex): (WallClockTime & { utc?: boolean }) | undefined {
  for (const [name, groups] of TIME_SOURCES) {
    const parsed = parseExifDate(t.printed(name, groups));
    if (parsed !== undefined) return withOffsetTag(t, parsed);
  }
  // QuickTime dates are UTC by the spec: the wall clock is unknown, so the instant is kept at +00:00.
  const qt = parseExifDate(t.printed('CreateDate', ['QuickTime', 'Track1']));
  if (qt !== undefined && qt.wallClock.getTime() > 0)
    return { wallClock: qt.wallClock, offsetMinutes: 0, utc: true };
  return undefined;
}

function withOffsetTag(t: TagIndex, parsed: WallClockTime): WallClockTime {
  if (parsed.offsetMinutes !== undefined) return parsed;
  const tz = parseExifDate(
    `2000:01:01 00:00:00${str(t.printed('OffsetTimeOriginal', EXIF)) ?? str(t.printed('OffsetTime', EXIF)) ?? ''}`,
  );
  return tz?.offsetMinutes === undefined ? parsed : { ...parsed, offsetMinutes: tz.offsetMinutes };
}

function lens(t: TagIndex): string | undefined {
  const id = str(t.printed('LensID', ['Composite']));
  return (
    str(t.printed('LensModel', ['ExifIFD'])) ??
    (id !== undefined && !/^unknown/i.test(id) ? id : undefined) ??
    str(t.printed('LensModel', ANY)) ??
    str(t.printed('Lens', ['XMP-aux', 'XMP-exifEX'])) ??
    str(t.printed('LensType', ['Panasonic']))
  );
}

const DRIVE_TAGS = ['ContinuousDrive', 'ShootingMode', 'ReleaseMode', 'DriveMode', 'BurstMode'];

function driveMode(tag: string, text: string): DriveMode {
  if (/bracket|AEB/i.test(text)) return 'bracketing';
  // Panasonic's BurstMode says "On" for a burst.
  if (tag === 'BurstMode') return /^off$/i.test(text) ? 'single' : 'continuous';
  if (/continu|burst|sequential|multi|\bhigh\b|\blow\b/i.test(text)) return 'continuous';
  if (/timer/i.test(text)) return 'timer';
  if (/single|normal|^off$|^on$/i.test(text)) return 'single';
  return 'other';
}

/** Drive mode, sequence number and AEB step from whichever maker note has them. */
function drive(
  t: TagIndex,
): Pick<MediaMetadata, 'driveMode' | 'driveModeText' | 'sequenceNumber' | 'bracketValue'> {
  let text: string | undefined;
  let mode: DriveMode | undefined;
  for (const name of DRIVE_TAGS) {
    const hit = t.all(name).find((e) => e.group !== 'Composite' && str(e.tag.val) !== undefined);
    if (hit !== undefined) {
      text = str(hit.tag.val);
      mode = driveMode(name, text ?? '');
      break;
    }
  }
  const aeb = t.printed('AutoExposureBracketing', ANY);
  if (typeof aeb === 'string' && /^on/i.test(aeb)) mode = 'bracketing';
  const shot = /Shot (\d+)/.exec(text ?? '');
  const sequence =
    num(t.raw('SequenceNumber', ANY)) ??
    num(t.raw('BracketShotNumber', ANY)) ??
    (shot === null ? undefined : Number(shot[1]));
  const bracket =
    num(t.raw('AEBBracketValue', ANY)) ??
    num(t.raw('ExposureBracketValue', ANY)) ??
    num(t.raw('AutoBracketing', ['Pentax']));
  return {
    ...(mode === undefined ? {} : { driveMode: mode }),
    ...(text === undefined ? {} : { driveModeText: text }),
    ...(sequence === undefined ? {} : { sequenceNumber: sequence }),
    ...(bracket === undefined || (bracket === 0 && mode !== 'bracketing')
      ? {}
      : { bracketValue: bracket }),
  };
}

function gps(t: TagIndex): GeoPoint | undefined {
  const lat = num(t.raw('GPSLatitude', ['Composite', 'XMP-exif', '**']));
  const lon = num(t.raw('GPSLongitude', ['Composite', 'XMP-exif', '**']));
  if (lat === undefined || lon === undefined || Math.abs(lat) > 90 || Math.abs(lon) > 180)
    return undefined;
  const alt = num(t.raw('GPSAltitude', ['Composite', 'XMP-exif', '**']));
  return { lat, lon, ...(alt === undefined ? {} : { alt }) };
}

function keywords(t: TagIndex): string[] {
  const out = new Set<string>();
  for (const k of [
    ...list(t.printed('Subject', ['XMP-dc'])),
    ...list(t.printed('Keywords', ['IPTC', 'XMP-pdf', 'QuickTime', 'ItemList'])),
  ])
    out.add(k);
  for (const path of list(t.printed('HierarchicalSubject', ['XMP-lr'])))
    for (const level of path.split('|')) if (level.trim() !== '') out.add(level.trim());
  return [...out];
}

function history(t: TagIndex): HistoryEvent[] | undefined {
  const actions = list(t.printed('HistoryAction', ['XMP-xmpMM']));
  if (actions.length === 0) return undefined;
  const when = list(t.printed('HistoryWhen', ['XMP-xmpMM']));
  const agent = list(t.printed('HistorySoftwareAgent', ['XMP-xmpMM']));
  const changed = list(t.printed('HistoryChanged', ['XMP-xmpMM']));
  return actions.map((action, i) => ({
    action,
    ...(when[i] === undefined ? {} : { when: when[i] }),
    ...(agent[i] === undefined ? {} : { agent: agent[i] }),
    ...(changed[i] === undefined ? {} : { changed: changed[i] }),
  }));
}

function develop(t: TagIndex): Record<string, string | number> | undefined {
  const out: Record<string, string | number> = {};
  for (const [key, tag] of t.groupsStartingWith('XMP-crs:')) {
    const v = 'num' in tag ? tag.num : tag.val;
    if (typeof v === 'string' || typeof v === 'number') out[tagName(key)] = v;
  }
  return Object.keys(out).length === 0 ? undefined : out;
}

function size(t: TagIndex): { width?: number; height?: number } {
  const raw = t.raw('ImageSize', ['Composite']);
  const m = typeof raw === 'string' ? /^(\d+)\D+(\d+)$/.exec(raw.trim()) : null;
  if (m !== null) return { width: Number(m[1]), height: Number(m[2]) };
  const width = num(t.raw('ImageWidth', ['File', '**']));
  const height = num(t.raw('ImageHeight', ['File', '**']));
  return { ...(width === undefined ? {} : { width }), ...(height === undefined ? {} : { height }) };
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** The normalized metadata of one file from its full tag set. */
export function normalize(tags: TagSet): MediaMetadata {
  const t = new TagIndex(tags);
  const out: Mutable<MediaMetadata> = {};
  const set = <K extends keyof MediaMetadata>(
    key: K,
    value: MediaMetadata[K] | undefined,
  ): void => {
    if (value !== undefined && !(Array.isArray(value) && value.length === 0)) out[key] = value;
  };
  const time = captureTime(t);
  set('captureTime', time?.wallClock.getTime());
  set('offsetMinutes', time?.offsetMinutes);
  set('make', str(t.printed('Make', ['IFD0', 'XMP-tiff', '**'])));
  set('model', str(t.printed('Model', ['IFD0', 'XMP-tiff', '**'])));
  set(
    'serial',
    str(t.printed('SerialNumber', EXIF)) ?? str(t.printed('InternalSerialNumber', ANY)),
  );
  set('lens', lens(t));
  set('focalLength', num(t.raw('FocalLength', EXIF)));
  set('exposureTime', num(t.raw('ExposureTime', EXIF)));
  set('fNumber', num(t.raw('FNumber', EXIF)));
  set('iso', num(t.raw('ISO', EXIF)));
  set('exposureCompensation', num(t.raw('ExposureCompensation', EXIF)));
  Object.assign(out, drive(t));
  set('rating', num(t.raw('Rating', ['XMP-xmp', 'IFD0', '**'])));
  set('label', str(t.printed('Label', ['XMP-xmp', '**'])));
  set('keywords', keywords(t));
  set(
    'title',
    str(t.printed('Title', ['XMP-dc'])) ??
      str(t.printed('ObjectName', ['IPTC'])) ??
      str(t.printed('Title', ['QuickTime', 'ItemList'])),
  );
  set(
    'caption',
    str(t.printed('Description', ['XMP-dc'])) ??
      str(t.printed('Caption-Abstract', ['IPTC'])) ??
      str(t.printed('ImageDescription', ['IFD0'])),
  );
  const creators = list(t.printed('Creator', ['XMP-dc']));
  set(
    'creators',
    creators.length > 0
      ? creators
      : list(t.printed('By-line', ['IPTC'])).length > 0
        ? list(t.printed('By-line', ['IPTC']))
        : list(t.printed('Artist', ['IFD0'])),
  );
  set(
    'copyright',
    str(t.printed('Rights', ['XMP-dc'])) ??
      str(t.printed('CopyrightNotice', ['IPTC'])) ??
      str(t.printed('Copyright', ['IFD0', '**'])),
  );
  set('usageTerms', str(t.printed('UsageTerms', ['XMP-xmpRights'])));
  set('gps', gps(t));
  const orientation = num(t.raw('Orientation', ['IFD0', 'XMP-tiff', '**']));
  set(
    'orientation',
    orientation !== undefined && orientation >= 1 && orientation <= 8 ? orientation : undefined,
  );
  Object.assign(out, size(t));
  set('duration', num(t.raw('Duration', ['Composite', 'QuickTime', '**'])));
  set('software', str(t.printed('Software', ['IFD0', '**'])));
  set('history', history(t));
  set('develop', develop(t));
  return out;
}
