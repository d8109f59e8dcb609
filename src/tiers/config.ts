import { z } from 'zod';
import { FILE_KINDS } from './file-kind.js';
import { parseReserve } from './size.js';

const tierName = z
  .string()
  .regex(/^[a-z][a-z0-9-]*$/, 'a tier name is lower-case letters, digits and "-"');

/** A size or a share of the vault as written, or a reserve already read (a validated config read again). */
const reserve = z
  .union([
    z.number(),
    z.string(),
    z.strictObject({ bytes: z.number().int().min(0) }),
    z.strictObject({ percent: z.number().min(0).max(50) }),
  ])
  .transform((value, ctx) => {
    if (typeof value === 'object') return value;
    const parsed = parseReserve(value);
    if (parsed === undefined) {
      ctx.addIssue({
        code: 'custom',
        message: `${JSON.stringify(value)} is not a reserve (bytes, a size like "500 MB", "2 GB", "1.5 GiB", or a share of the vault up to "50%")`,
      });
      return z.NEVER;
    }
    return parsed;
  });

/** One tier's policy; a field left out keeps the built-in value of the tier of that name (else standard's). */
const policySchema = z.strictObject({
  /** Copy order: lower first. */
  order: z.number().int().optional(),
  /** Verified copies required, each on another vault. */
  copies: z.number().int().min(1).max(8).optional(),
  /** read-back: every copy is read back from the medium; source-hash: the hash taken while reading the source. */
  verification: z.enum(['read-back', 'source-hash']).optional(),
  /** Sync order to the NAS: lower first (default: the copy order). */
  sync: z.number().int().optional(),
  /** Free space each vault keeps for more important tiers; a file of this tier that would cross it degrades or waits. */
  reserve: reserve.optional(),
  /** When a vault is below the reserve: one-copy (on the vaults with room) or wait (stays on the card until there is room). */
  whenLow: z.enum(['one-copy', 'wait']).optional(),
});

const oneOrMany = <T extends z.ZodType>(item: T) =>
  z
    .union([item, z.array(item).min(1)])
    .transform((v) => (Array.isArray(v) ? v : [v]) as z.output<T>[]);

/** Serial numbers stay strings: YAML reads unquoted digits as a number and drops leading zeros. */
const serials = z
  .union([z.string(), z.number(), z.array(z.union([z.string(), z.number()])).min(1)])
  .transform((value, ctx) => {
    const list = Array.isArray(value) ? value : [value];
    if (list.some((s) => typeof s !== 'string' || s.trim() === '')) {
      ctx.addIssue({
        code: 'custom',
        message:
          'quote serial numbers ("012345"): unquoted digits are read as a number and lose leading zeros',
      });
      return z.NEVER;
    }
    return list as string[];
  });

/** The conditions of a rule; all that are given must hold. */
export const RULE_CONDITIONS = [
  'minRating',
  'protected',
  'label',
  'keywords',
  'folder',
  'kind',
  'serial',
  'tethered',
] as const;

const ruleSchema = z
  .strictObject({
    tier: tierName,
    /** In-camera rating (EXIF/XMP Rating) at least this. */
    minRating: z.number().int().min(0).max(5).optional(),
    /** The protect/lock flag set in the camera (read-only on the card). */
    protected: z.boolean().optional(),
    /** Colour label, any of these (case-insensitive). */
    label: oneOrMany(z.string().min(1)).optional(),
    /** Any of these keywords (case-insensitive). */
    keywords: oneOrMany(z.string().min(1)).optional(),
    /** Folder on the source: "DCIM/100CANON" (the whole path, * and ** allowed) or "TIMELAPSE" (any folder of that name). */
    folder: oneOrMany(z.string().min(1)).optional(),
    /** The capture's kind: raw, jpeg, heif, video, audio, sidecar, other. */
    kind: oneOrMany(z.enum(FILE_KINDS as [string, ...string[]])).optional(),
    /** Camera body serial number, any of these. */
    serial: serials.optional(),
    /** Shots that arrive from a tethered camera. */
    tethered: z.boolean().optional(),
  })
  .refine((rule) => RULE_CONDITIONS.some((c) => rule[c] !== undefined), {
    message: `a rule needs a condition besides its tier (${RULE_CONDITIONS.join(', ')})`,
  });

/** The config file's `tiers` section. */
export const tiersSection = z
  .strictObject({
    /** The tier of a capture that no rule matches. */
    default: tierName.default('standard'),
    /** Per-tier policy, merged over the built-in critical, standard and bulk; new names add tiers. */
    policies: z
      .record(z.string(), policySchema)
      .default({})
      .superRefine((policies, ctx) => {
        for (const name of Object.keys(policies))
          if (!tierName.safeParse(name).success)
            ctx.addIssue({
              code: 'custom',
              path: [name],
              message: `"${name}": a tier name is lower-case letters, digits and "-"`,
            });
      }),
    /** Replace the built-in rules (tethered, protected, rating ≥ 4 → critical). The most important matching tier wins. */
    rules: z.array(ruleSchema).optional(),
  })
  .superRefine((section, ctx) => {
    const known = new Set(['critical', 'standard', 'bulk', ...Object.keys(section.policies)]);
    const list = [...known].join(', ');
    if (!known.has(section.default))
      ctx.addIssue({
        code: 'custom',
        path: ['default'],
        message: `unknown tier "${section.default}" (tiers: ${list})`,
      });
    section.rules?.forEach((rule, i) => {
      if (!known.has(rule.tier))
        ctx.addIssue({
          code: 'custom',
          path: ['rules', i, 'tier'],
          message: `unknown tier "${rule.tier}" (tiers: ${list}; add it under tiers.policies)`,
        });
    });
  })
  .prefault({});

export type TiersConfig = z.output<typeof tiersSection>;
/** The section as written in the config file (sizes as text, one value or a list). */
export type TiersInput = z.input<typeof tiersSection>;
export type TierPolicyConfig = z.output<typeof policySchema>;
export type TierRuleConfig = z.output<typeof ruleSchema>;
