import { describe, expect, it } from 'vitest';
import { DEFAULT_TIER } from '../../../src/core/index.js';
import { DEFAULT_TIER_ORDER, everythingStandard, tierRank } from '../../../src/tiers/index.js';

describe('tierRank', () => {
  it('orders critical before standard before bulk', () => {
    expect(DEFAULT_TIER_ORDER).toEqual(['critical', 'standard', 'bulk']);
    const ranks = ['bulk', 'critical', 'standard'].sort((a, b) => tierRank(a) - tierRank(b));
    expect(ranks).toEqual(['critical', 'standard', 'bulk']);
  });

  it('puts an unknown tier after every known one', () => {
    expect(tierRank('mystery')).toBeGreaterThan(tierRank('bulk'));
    expect(tierRank('mystery')).toBe(tierRank('other-mystery'));
  });

  it('follows a custom order', () => {
    const order = ['hero', 'critical', 'rest'];
    expect(tierRank('hero', order)).toBeLessThan(tierRank('critical', order));
    expect(tierRank('rest', order)).toBeLessThan(tierRank('standard', order));
  });
});

describe('everythingStandard', () => {
  it('puts every capture in the default tier', () => {
    expect(everythingStandard({ entries: [], rating: 5, label: 'Red' })).toBe(DEFAULT_TIER);
    expect(DEFAULT_TIER).toBe('standard');
  });
});
