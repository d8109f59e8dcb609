import { z } from 'zod';
import { FieldBackupError } from '../../core/index.js';
import {
  BUILT_IN_PROFILES,
  DEFAULT_PROFILE,
  DEFAULT_SIMILARITY_PROFILE,
  type SimilarityProfile,
} from '../../media/similarity/index.js';
import { parseReserve, type Reserve } from '../../tiers/index.js';

const name = z
  .string()
  .regex(/^[a-z][a-z0-9-]*$/, 'a profile name is lower-case letters, digits and "-"');

/** A profile: every field optional, taken from `base` (or the built-in of that name, else wildlife). */
const profileSchema = z.strictObject({
  base: z.enum(Object.keys(BUILT_IN_PROFILES) as [string, ...string[]]).optional(),
  link: z.number().min(-1).max(2).optional(),
  cohesion: z.number().min(-1).max(2).optional(),
  maxShift: z.number().int().min(0).max(8).optional(),
  maxHashDistance: z.number().int().min(0).max(64).optional(),
  maxGapSeconds: z.number().positive().max(3600).optional(),
  hintBonus: z.number().min(0).max(1).optional(),
  bracketSpread: z.number().positive().max(10).optional(),
});

/** Free space as a size or a share of the vault ("10%", "50 GB"). */
const freeSpace = z.union([z.number(), z.string()]).transform((value, ctx) => {
  const parsed = parseReserve(value);
  if (parsed === undefined) {
    ctx.addIssue({
      code: 'custom',
      message: `${JSON.stringify(value)} is not a free-space level (bytes, a size like "50 GB", or a share of the vault up to "50%")`,
    });
    return z.NEVER;
  }
  return parsed;
});

const economyMode = z.enum(['off', 'on', 'when-low']);

const economySchema = z
  .union([
    economyMode,
    z.strictObject({
      /** off (default), on, or when-low: on once a vault's free space is below `below`. */
      mode: economyMode.default('off'),
      below: freeSpace.optional(),
      /** Tiers whose non-pick frames may keep a single copy (critical never by default). */
      tiers: z.array(z.string().min(1)).min(1).optional(),
    }),
  ])
  .transform((v) => (typeof v === 'string' ? { mode: v } : v))
  .prefault({ mode: 'off' });

/** The config file's `similarity` section: stack detection and the stack economy. */
export const similaritySection = z
  .strictObject({
    /** The profile ingest and `fieldbackup similar` use unless told otherwise. */
    profile: name.default(DEFAULT_PROFILE),
    /** Profiles added, or built-in ones changed (wildlife, landscape, sports). */
    profiles: z.record(name, profileSchema).default({}),
    /** Find stacks during ingest, in the background. */
    background: z.boolean().default(true),
    economy: economySchema,
  })
  .superRefine((section, ctx) => {
    const known = new Set([...Object.keys(BUILT_IN_PROFILES), ...Object.keys(section.profiles)]);
    if (!known.has(section.profile))
      ctx.addIssue({
        code: 'custom',
        path: ['profile'],
        message: `unknown profile "${section.profile}" (profiles: ${[...known].join(', ')})`,
      });
  })
  .prefault({});

export type SimilarityConfig = z.output<typeof similaritySection>;
export type SimilarityInput = z.input<typeof similaritySection>;

/** When the stack economy applies, and to which tiers. */
export interface EconomyPolicy {
  readonly mode: 'off' | 'on' | 'when-low';
  /** when-low: a vault with less free space than this switches the economy on. */
  readonly below: Reserve;
  readonly tiers: readonly string[];
}

const DEFAULT_BELOW: Reserve = { percent: 10 };
const DEFAULT_ECONOMY_TIERS = ['standard', 'bulk'];

export function economyPolicy(config: SimilarityConfig): EconomyPolicy {
  const e = config.economy;
  return {
    mode: e.mode,
    below: ('below' in e ? e.below : undefined) ?? DEFAULT_BELOW,
    tiers: ('tiers' in e ? e.tiers : undefined) ?? DEFAULT_ECONOMY_TIERS,
  };
}

/** Every profile of a config: the built-in ones with its changes, and its own. */
export function similarityProfiles(
  config: SimilarityConfig,
): ReadonlyMap<string, SimilarityProfile> {
  const out = new Map<string, SimilarityProfile>(Object.entries(BUILT_IN_PROFILES));
  for (const [n, p] of Object.entries(config.profiles)) {
    const { base, ...fields } = p;
    const from = BUILT_IN_PROFILES[base ?? n] ?? DEFAULT_SIMILARITY_PROFILE;
    const defined = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
    out.set(n, { ...from, ...defined, name: n });
  }
  return out;
}

/** A profile by name (the config's default when none is given); E_USAGE for an unknown one. */
export function resolveProfile(config: SimilarityConfig, wanted?: string): SimilarityProfile {
  const profiles = similarityProfiles(config);
  const n = wanted ?? config.profile;
  const p = profiles.get(n);
  if (p === undefined)
    throw new FieldBackupError(
      'E_USAGE',
      `unknown profile "${n}" (profiles: ${[...profiles.keys()].join(', ')})`,
      { subject: { field: 'profile' } },
    );
  return p;
}
