/**
 * A file's metadata, normalized from whatever structure carried it (EXIF, maker notes, XMP,
 * IPTC, QuickTime, H.264 MDPM, RIFF…): what the catalog indexes and search and restore compare.
 */
export interface MediaMetadata {
  /** Capture time as the camera's wall clock, stored as if UTC (ms since the epoch). */
  readonly captureTime?: number;
  /** Minutes east of UTC of that wall clock, when the file says. */
  readonly offsetMinutes?: number;
  readonly make?: string;
  readonly model?: string;
  readonly serial?: string;
  readonly lens?: string;
  readonly focalLength?: number;
  /** Seconds. */
  readonly exposureTime?: number;
  readonly fNumber?: number;
  readonly iso?: number;
  /** EV. */
  readonly exposureCompensation?: number;
  readonly driveMode?: DriveMode;
  /** The maker note's wording ("Continuous, Exposure Bracketing", "AE Bracketing, Shot 2"). */
  readonly driveModeText?: string;
  /** Shot number within a burst or bracket, as the maker note counts. */
  readonly sequenceNumber?: number;
  /** AEB step, EV. */
  readonly bracketValue?: number;
  /** -1 (rejected) to 5. */
  readonly rating?: number;
  readonly label?: string;
  readonly keywords?: readonly string[];
  readonly title?: string;
  readonly caption?: string;
  readonly creators?: readonly string[];
  readonly copyright?: string;
  readonly usageTerms?: string;
  readonly gps?: GeoPoint;
  /** EXIF orientation 1–8. */
  readonly orientation?: number;
  readonly width?: number;
  readonly height?: number;
  /** Seconds, for video and audio. */
  readonly duration?: number;
  readonly software?: string;
  /** XMP edit history (sidecars written by Lightroom, Capture One…). */
  readonly history?: readonly HistoryEvent[];
  /** Camera Raw / Lightroom develop settings (XMP crs:*), by setting name. */
  readonly develop?: Readonly<Record<string, string | number>>;
}

export type DriveMode = 'single' | 'continuous' | 'bracketing' | 'timer' | 'other';

export interface GeoPoint {
  /** Degrees, -90 (south) to 90. */
  readonly lat: number;
  /** Degrees, -180 (west) to 180. */
  readonly lon: number;
  /** Metres above sea level (negative below). */
  readonly alt?: number;
}

export interface HistoryEvent {
  readonly action: string;
  readonly when?: string;
  readonly agent?: string;
  readonly changed?: string;
}

/**
 * How reading a file's metadata went: `unreadable` files are still backed up byte-exact and
 * flagged with the reason; `partial` ones were read with warnings (a truncated file, a corrupt
 * maker note).
 */
export type MetadataStatus = 'ok' | 'partial' | 'unreadable';
