/** A priority tier's name; the defaults are critical, standard and bulk, the config may add more. */
export type TierName = string;

export const DEFAULT_TIER: TierName = 'standard';
