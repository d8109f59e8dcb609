import type { TierName } from '../core/index.js';
import { tierRank } from '../tiers/index.js';

/** What the order of a sync looks at. */
export interface SyncOrderKey {
  readonly tier: TierName;
  readonly captureTime: number;
  /** Last, for an order every run repeats: the content hash. */
  readonly hash: string;
}

/**
 * The order objects go to the NAS: most important tier first, then oldest shot first. The
 * one place that decides it, so a per-tier sync priority can replace tierRank here.
 */
export function syncOrder(
  tierOrder?: readonly TierName[],
): (a: SyncOrderKey, b: SyncOrderKey) => number {
  return (a, b) =>
    tierRank(a.tier, tierOrder) - tierRank(b.tier, tierOrder) ||
    a.captureTime - b.captureTime ||
    (a.hash < b.hash ? -1 : a.hash > b.hash ? 1 : 0);
}
