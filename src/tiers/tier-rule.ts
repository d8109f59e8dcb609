import { DEFAULT_TIER, type SourceEntry, type TierName } from '../core/index.js';
import type { FileKind } from './file-kind.js';

/** What a tier rule may look at: the files of one capture and what is known of them before copying. */
export interface CaptureFacts {
  /** The capture's files (path, size, protect flag, tethered) as the source lists them. */
  readonly entries: readonly SourceEntry[];
  /** The capture's main kind: a RAW with its JPEG is `raw` (see captureKindOf). */
  readonly kind?: FileKind;
  /** The highest in-camera rating among its files (EXIF/XMP Rating). */
  readonly rating?: number;
  /** Colour label (XMP Label). */
  readonly label?: string;
  readonly keywords?: readonly string[];
  /** Camera body serial number (EXIF BodySerialNumber / XMP aux:SerialNumber). */
  readonly serial?: string;
}

/**
 * Decides a capture's tier; the TypeScript API lets a user plug in their own. Returning
 * undefined means "no opinion": other rules decide, else the default tier.
 */
export type TierRule = (capture: CaptureFacts) => TierName | undefined;

export const everythingStandard: TierRule = () => DEFAULT_TIER;

/** Copy order of the tiers: lower first. */
export const DEFAULT_TIER_ORDER: readonly TierName[] = ['critical', 'standard', 'bulk'];

export function tierRank(tier: TierName, order: readonly TierName[] = DEFAULT_TIER_ORDER): number {
  const i = order.indexOf(tier);
  return i < 0 ? order.length : i;
}
