import type { TierName } from '../core/index.js';
import { DEFAULT_TIERS, tierSyncRank, type Tiers } from '../tiers/index.js';

/** What the order of a sync looks at. */
export interface SyncOrderKey {
  readonly tier: TierName;
  readonly captureTime: number;
  /** Last, for an order every run repeats: the content hash. */
  readonly hash: string;
}

/**
 * The order objects go to the NAS: the tier with the lowest configured `sync` rank first (a
 * tier no policy names last), then oldest shot first. The one place that decides it.
 */
export function syncOrder(
  tiers: Tiers = DEFAULT_TIERS,
): (a: SyncOrderKey, b: SyncOrderKey) => number {
  return (a, b) =>
    compare(tierSyncRank(a.tier, tiers), tierSyncRank(b.tier, tiers)) ||
    a.captureTime - b.captureTime ||
    compare(a.hash, b.hash);
}

/** Also for Infinity (tiers no policy names), where subtraction gives NaN. */
function compare<T extends number | string>(a: T, b: T): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
