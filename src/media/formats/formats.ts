/** What a file is, by content. Names follow ExifTool's FileType, so the two can be compared. */
export type MediaFormat =
  | 'CR2'
  | 'CR3'
  | 'CRW'
  | 'CRM'
  | 'NEF'
  | 'NRW'
  | 'ARW'
  | 'SR2'
  | 'SRF'
  | 'DNG'
  | 'RAF'
  | 'ORF'
  | 'RW2'
  | 'RWL'
  | 'PEF'
  | 'SRW'
  | '3FR'
  | 'IIQ'
  | 'X3F'
  | 'JPEG'
  | 'THM'
  | 'HEIC'
  | 'HEIF'
  | 'TIFF'
  | 'PNG'
  | 'MP4'
  | 'MOV'
  | 'M2TS'
  | 'XMP'
  | 'WAV';

export type MediaKind = 'raw' | 'image' | 'video' | 'sidecar';

export interface FormatInfo {
  readonly kind: MediaKind;
  readonly description: string;
}

export const FORMATS: Readonly<Record<MediaFormat, FormatInfo>> = {
  CR2: { kind: 'raw', description: 'Canon RAW 2 (TIFF-based)' },
  CR3: { kind: 'raw', description: 'Canon RAW 3 (ISO-BMFF)' },
  CRW: { kind: 'raw', description: 'Canon RAW (CIFF)' },
  CRM: { kind: 'video', description: 'Canon RAW movie (ISO-BMFF)' },
  NEF: { kind: 'raw', description: 'Nikon Electronic Format' },
  NRW: { kind: 'raw', description: 'Nikon RAW (Coolpix)' },
  ARW: { kind: 'raw', description: 'Sony Alpha RAW' },
  SR2: { kind: 'raw', description: 'Sony RAW 2 (DSC-R1)' },
  SRF: { kind: 'raw', description: 'Sony RAW (DSC-F828, DSC-V3)' },
  DNG: { kind: 'raw', description: 'Adobe Digital Negative' },
  RAF: { kind: 'raw', description: 'Fujifilm RAW' },
  ORF: { kind: 'raw', description: 'Olympus / OM System RAW' },
  RW2: { kind: 'raw', description: 'Panasonic RAW 2' },
  RWL: { kind: 'raw', description: 'Leica RAW (Panasonic-made)' },
  PEF: { kind: 'raw', description: 'Pentax Electronic File' },
  SRW: { kind: 'raw', description: 'Samsung RAW' },
  '3FR': { kind: 'raw', description: 'Hasselblad 3F RAW' },
  IIQ: { kind: 'raw', description: 'Phase One Intelligent Image Quality' },
  X3F: { kind: 'raw', description: 'Sigma / Foveon X3' },
  JPEG: { kind: 'image', description: 'JPEG image' },
  THM: { kind: 'sidecar', description: 'JPEG thumbnail of a video (THM)' },
  HEIC: { kind: 'image', description: 'HEIF image, HEVC brand' },
  HEIF: { kind: 'image', description: 'HEIF image (Canon and Sony HIF)' },
  TIFF: { kind: 'image', description: 'TIFF image' },
  PNG: { kind: 'image', description: 'PNG image' },
  MP4: { kind: 'video', description: 'MPEG-4 video' },
  MOV: { kind: 'video', description: 'QuickTime movie' },
  M2TS: { kind: 'video', description: 'AVCHD / MPEG-2 transport stream (MTS, M2TS)' },
  XMP: { kind: 'sidecar', description: 'XMP sidecar' },
  WAV: { kind: 'sidecar', description: 'WAV audio (voice memo)' },
};

/** Names photographers use that mean one of ours (format:MTS, format:HIF, format:JPG). */
export const FORMAT_ALIASES: Readonly<Record<string, readonly MediaFormat[]>> = {
  JPG: ['JPEG'],
  TIF: ['TIFF'],
  MTS: ['M2TS'],
  M2T: ['M2TS'],
  HIF: ['HEIF', 'HEIC'],
  HEIF: ['HEIF', 'HEIC'],
  HEIC: ['HEIC'],
};

export function isMediaFormat(value: string): value is MediaFormat {
  return Object.hasOwn(FORMATS, value);
}
