import type { TierName } from '../core/index.js';
import { tierRank } from '../tiers/index.js';

/** What the order of a sync looks at. */
export interface SyncOrderKey {
  readonly tier: TierName;
  readonly captureTime: number;
  readonly path: string;
}

/**
 * The order objects go to the NAS: most important tier first, then oldest shot first, then
 * path. The one place that decides it, so a per-tier sync priority can replace tierRank here.
 */
export function syncOrder(
  tierOrder?: readonly TierName[],
): (a: SyncOrderKey, b: SyncOrderKey) => number {
  return (a, b) =>
    tierRank(a.tier, tierOrder) - tierRank(b.tier, tierOrder) ||
    a.captureTime - b.captureTime ||
    (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
}
