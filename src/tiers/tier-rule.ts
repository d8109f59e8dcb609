import { DEFAULT_TIER, type SourceEntry, type TierName } from '../core/index.js';

/** What a tier rule may look at: the files of one capture and what is known of them before copying. */
export interface CaptureFacts {
  readonly entries: readonly SourceEntry[];
  readonly rating?: number;
  readonly label?: string;
  readonly keywords?: readonly string[];
  readonly serial?: string;
}

/** Decides a capture's tier; the TypeScript API lets a user plug in their own. */
export type TierRule = (capture: CaptureFacts) => TierName;

export const everythingStandard: TierRule = () => DEFAULT_TIER;

/** Copy order of the tiers: lower first. */
export const DEFAULT_TIER_ORDER: readonly TierName[] = ['critical', 'standard', 'bulk'];

export function tierRank(tier: TierName, order: readonly TierName[] = DEFAULT_TIER_ORDER): number {
  const i = order.indexOf(tier);
  return i < 0 ? order.length : i;
}
