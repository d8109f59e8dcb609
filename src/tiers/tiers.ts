import {
  DEFAULT_TIER,
  FieldBackupError,
  type TierName,
  type VerificationMode,
} from '../core/index.js';
import {
  tiersSection,
  type TierPolicyConfig,
  type TierRuleConfig,
  type TiersInput,
} from './config.js';
import { compileRule } from './rules.js';
import type { Reserve } from './size.js';
import type { CaptureFacts, TierRule } from './tier-rule.js';

/** What a tier asks for: how many copies, how verified, in which order, how much room it leaves. */
export interface TierPolicy {
  readonly name: TierName;
  /** Copy order: lower first. */
  readonly order: number;
  /** Verified copies required, each on another vault. */
  readonly copies: number;
  readonly verification: VerificationMode;
  /** Sync order to the NAS: lower first. */
  readonly sync: number;
  /** Free space each vault keeps for more important tiers: bytes, or a share of the vault. */
  readonly reserve: Reserve;
  /** Below the reserve: write only to vaults with room (`one-copy`), or leave the file on the card (`wait`). */
  readonly whenLow: 'one-copy' | 'wait';
}

/** The built-in tiers: critical (first, may use every byte), standard, bulk (last). */
const BUILT_IN: Readonly<Record<string, Omit<TierPolicy, 'name'>>> = {
  critical: {
    order: 1,
    copies: 2,
    verification: 'read-back',
    sync: 1,
    reserve: { bytes: 0 },
    whenLow: 'one-copy',
  },
  standard: {
    order: 2,
    copies: 2,
    verification: 'read-back',
    sync: 2,
    reserve: { percent: 1 },
    whenLow: 'one-copy',
  },
  bulk: {
    order: 3,
    copies: 2,
    verification: 'read-back',
    sync: 3,
    reserve: { percent: 1 },
    whenLow: 'one-copy',
  },
};

/**
 * The tiers of a box: their policies, their order and the rules that pick a capture's tier.
 * Built from the config's `tiers` section; rule functions may be added through the API.
 */
export class Tiers {
  /** Names in copy order. */
  readonly order: readonly TierName[];
  private readonly byName: ReadonlyMap<TierName, TierPolicy>;

  private constructor(
    policies: readonly TierPolicy[],
    readonly defaultTier: TierName,
    private readonly rules: readonly TierRule[],
  ) {
    const sorted = [...policies].sort((a, b) => a.order - b.order);
    this.order = sorted.map((p) => p.name);
    this.byName = new Map(sorted.map((p) => [p.name, p]));
  }

  /** The tiers of a config's `tiers` section (as the config file gives it, or already validated). */
  static fromConfig(section: TiersInput = {}): Tiers {
    const parsed = tiersSection.safeParse(section);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = ['tiers', ...(issue?.path ?? [])].join('.');
      throw new FieldBackupError('E_CONFIG', `field "${field}": ${issue?.message ?? 'invalid'}`, {
        subject: { field },
      });
    }
    const config = parsed.data;
    const names = [...new Set([...Object.keys(BUILT_IN), ...Object.keys(config.policies)])];
    let nextOrder = Math.max(...Object.values(BUILT_IN).map((p) => p.order));
    const policies = names.map((name): TierPolicy => {
      const given: TierPolicyConfig = config.policies[name] ?? {};
      const base = BUILT_IN[name] ?? newTier(++nextOrder);
      const order = given.order ?? base.order;
      return {
        name,
        order,
        copies: given.copies ?? base.copies,
        verification: given.verification ?? base.verification,
        sync: given.sync ?? (given.order !== undefined ? order : base.sync),
        reserve: given.reserve ?? base.reserve,
        whenLow: given.whenLow ?? base.whenLow,
      };
    });
    const rules = (config.rules ?? DEFAULT_RULES).map(compileRule);
    return new Tiers(policies, config.default, rules);
  }

  /** The same tiers with more rules (functions given through the TypeScript API). */
  withRules(...rules: readonly TierRule[]): Tiers {
    return new Tiers([...this.byName.values()], this.defaultTier, [...this.rules, ...rules]);
  }

  /** A capture's tier: the most important tier any rule names, else the default tier. */
  readonly decide: TierRule & ((capture: CaptureFacts) => TierName) = (capture) => {
    let best: TierName | undefined;
    for (const rule of this.rules) {
      const tier = rule(capture);
      if (tier !== undefined && (best === undefined || this.rank(tier) < this.rank(best)))
        best = tier;
    }
    return best ?? this.defaultTier;
  };

  /** Copy order: lower first; a tier no policy names (from an API rule) comes last. */
  rank(tier: TierName): number {
    const i = this.order.indexOf(tier);
    return i < 0 ? this.order.length : i;
  }

  /** Sync order to the NAS: lower first. */
  syncRank(tier: TierName): number {
    return this.policy(tier).sync;
  }

  /** A tier's policy; a tier no policy names gets the default tier's, and comes last. */
  policy(tier: TierName): TierPolicy {
    const known = this.byName.get(tier);
    if (known !== undefined) return known;
    const fallback = this.byName.get(this.defaultTier) as TierPolicy;
    return { ...fallback, name: tier, order: Infinity, sync: Infinity };
  }

  get policies(): readonly TierPolicy[] {
    return [...this.byName.values()];
  }
}

/** A tier the config adds: standard's policy, after the tiers before it. */
function newTier(order: number): Omit<TierPolicy, 'name'> {
  return { ...(BUILT_IN[DEFAULT_TIER] as TierPolicy), order, sync: order };
}

/** Marks the photographer sets in the field: a tethered shot, the protect flag, 4 or 5 stars. */
const DEFAULT_RULES: readonly TierRuleConfig[] = [
  { tier: 'critical', tethered: true },
  { tier: 'critical', protected: true },
  { tier: 'critical', minRating: 4 },
];

export const DEFAULT_TIERS: Tiers = Tiers.fromConfig({});

/** The sync priority of a tier (lower syncs first), for sync to order what it pushes. */
export function tierSyncRank(tier: TierName, tiers: Tiers = DEFAULT_TIERS): number {
  return tiers.syncRank(tier);
}
