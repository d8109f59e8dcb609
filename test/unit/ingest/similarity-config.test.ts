import { describe, expect, it } from 'vitest';
import {
  BUILT_IN_PROFILES,
  economyPolicy,
  FieldBackupError,
  parseConfig,
  resolveProfile,
} from '../../../src/index.js';

const similarity = (yaml: string): ReturnType<typeof parseConfig>['similarity'] =>
  parseConfig(`version: 1\nsimilarity:\n${yaml}`, 'fieldbackup.yaml').similarity;

describe('similarity config', () => {
  it('defaults to the wildlife profile, background detection on and the economy off', () => {
    const c = parseConfig('version: 1\n', 'fieldbackup.yaml').similarity;
    expect(resolveProfile(c)).toEqual(BUILT_IN_PROFILES.wildlife);
    expect(c.background).toBe(true);
    expect(economyPolicy(c)).toEqual({
      mode: 'off',
      below: { percent: 10 },
      tiers: ['standard', 'bulk'],
    });
  });

  it('changes built-in profiles and adds profiles based on them', () => {
    const c = similarity(
      '  profile: birds\n  profiles:\n    birds: { base: sports, maxGapSeconds: 0.5 }\n    landscape: { link: 0.3 }\n',
    );
    expect(resolveProfile(c)).toEqual({
      ...BUILT_IN_PROFILES.sports,
      name: 'birds',
      maxGapSeconds: 0.5,
    });
    expect(resolveProfile(c, 'landscape')).toEqual({ ...BUILT_IN_PROFILES.landscape, link: 0.3 });
  });

  it('takes the economy as a word or with a free-space level and tiers', () => {
    expect(economyPolicy(similarity('  economy: on\n')).mode).toBe('on');
    expect(
      economyPolicy(similarity('  economy: { mode: when-low, below: "50 GB", tiers: [bulk] }\n')),
    ).toEqual({ mode: 'when-low', below: { bytes: 50e9 }, tiers: ['bulk'] });
  });

  it('names the field of a bad value, and an unknown profile is bad usage', () => {
    expect(() => similarity('  profile: nope\n')).toThrow(
      /similarity\.profile.*unknown profile "nope"/s,
    );
    expect(() => similarity('  economy: sometimes\n')).toThrow(/similarity\.economy/);
    expect(() => similarity('  profiles:\n    x: { link: 7 }\n')).toThrow(
      /similarity\.profiles\.x\.link/,
    );
    const c = parseConfig('version: 1\n', 'fieldbackup.yaml').similarity;
    try {
      resolveProfile(c, 'macro');
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(FieldBackupError);
      expect((err as FieldBackupError).code).toBe('E_USAGE');
      expect((err as FieldBackupError).message).toContain('wildlife, landscape, sports');
    }
  });
});
