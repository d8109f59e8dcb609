/** A priority tier's name; the defaults are critical, standard and bulk, the config may add more. */
export type TierName = string;

export const DEFAULT_TIER: TierName = 'standard';

/**
 * How a copy was verified: `read-back` read it back from the medium (O_DIRECT) and compared
 * its hash; `source-hash` trusts the hash computed while the source was read and the fsync.
 */
export type VerificationMode = 'read-back' | 'source-hash';
