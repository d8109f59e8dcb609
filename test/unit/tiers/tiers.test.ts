import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import type { SourceEntry } from '../../../src/core/index.js';
import { parseConfig } from '../../../src/appliance/config/index.js';
import { DEFAULT_TIERS, tierSyncRank, Tiers, type CaptureFacts } from '../../../src/tiers/index.js';

const entry = (relPath: string, extra: Partial<SourceEntry> = {}): SourceEntry => ({
  relPath,
  size: 10,
  mtimeMs: 0,
  protected: false,
  ...extra,
});
const capture = (extra: Partial<CaptureFacts> = {}, e = entry('DCIM/IMG_1.CR2')): CaptureFacts => ({
  entries: [e],
  kind: 'raw',
  ...extra,
});

describe('the built-in tiers', () => {
  it('are critical, standard and bulk with the policies of the issue', () => {
    expect(DEFAULT_TIERS.order).toEqual(['critical', 'standard', 'bulk']);
    expect(DEFAULT_TIERS.policies).toEqual([
      {
        name: 'critical',
        order: 1,
        copies: 2,
        verification: 'read-back',
        sync: 1,
        reserve: { bytes: 0 },
        whenLow: 'one-copy',
      },
      {
        name: 'standard',
        order: 2,
        copies: 2,
        verification: 'read-back',
        sync: 2,
        reserve: { percent: 1 },
        whenLow: 'one-copy',
      },
      {
        name: 'bulk',
        order: 3,
        copies: 2,
        verification: 'read-back',
        sync: 3,
        reserve: { percent: 1 },
        whenLow: 'one-copy',
      },
    ]);
    expect(DEFAULT_TIERS.defaultTier).toBe('standard');
  });

  it('make tethered shots, protected files and 4 or 5 stars critical, the rest standard', () => {
    const d = DEFAULT_TIERS.decide;
    expect(d(capture({}, entry('T/1.CR3', { tethered: true })))).toBe('critical');
    expect(d(capture({}, entry('D/1.CR3', { protected: true })))).toBe('critical');
    expect(d(capture({ rating: 4 }))).toBe('critical');
    expect(d(capture({ rating: 5 }))).toBe('critical');
    expect(d(capture({ rating: 3 }))).toBe('standard');
    expect(d(capture())).toBe('standard');
  });
});

describe('Tiers.fromConfig', () => {
  it('merges a policy over the built-in one of the same name and keeps the rest', () => {
    const tiers = Tiers.fromConfig({
      policies: {
        bulk: { whenLow: 'wait', reserve: '5 GB' },
        standard: { verification: 'source-hash' },
      },
    });
    expect(tiers.policy('bulk')).toMatchObject({
      order: 3,
      copies: 2,
      reserve: { bytes: 5e9 },
      whenLow: 'wait',
    });
    expect(tiers.policy('standard')).toMatchObject({
      verification: 'source-hash',
      reserve: { percent: 1 },
    });
    expect(tiers.policy('critical')).toEqual(DEFAULT_TIERS.policy('critical'));
  });

  it('adds a tier after the others unless it says where, and syncs in copy order unless told', () => {
    const added = Tiers.fromConfig({ policies: { archive: { copies: 1 } } });
    expect(added.order).toEqual(['critical', 'standard', 'bulk', 'archive']);
    expect(added.policy('archive')).toMatchObject({
      copies: 1,
      reserve: { percent: 1 },
      order: 4,
      sync: 4,
    });

    const hero = Tiers.fromConfig({ policies: { hero: { order: 0 }, bulk: { sync: 0 } } });
    expect(hero.order).toEqual(['hero', 'critical', 'standard', 'bulk']);
    expect(hero.rank('hero')).toBe(0);
    expect(hero.syncRank('hero')).toBe(0);
    // Sync may follow another order than copying: bulk first to the NAS here.
    expect(
      ['critical', 'bulk', 'standard'].sort((a, b) => hero.syncRank(a) - hero.syncRank(b)),
    ).toEqual(['bulk', 'hero', 'critical', 'standard'].filter((t) => t !== 'hero'));
  });

  it('lets the most important tier any rule names win, else the default tier', () => {
    const tiers = Tiers.fromConfig({
      default: 'bulk',
      rules: [
        { tier: 'bulk', kind: 'video' },
        { tier: 'critical', minRating: 3 },
        { tier: 'standard', kind: ['raw', 'jpeg'] },
      ],
    });
    expect(tiers.decide(capture({ kind: 'video', rating: 5 }))).toBe('critical');
    expect(tiers.decide(capture({ kind: 'video' }))).toBe('bulk');
    expect(tiers.decide(capture({ kind: 'jpeg' }))).toBe('standard');
    expect(tiers.decide(capture({ kind: 'other' }))).toBe('bulk');
  });

  it('takes rule functions through the API beside the config rules', () => {
    const tiers = DEFAULT_TIERS.withRules((c) =>
      c.entries.some((e) => e.relPath.includes('WEDDING')) ? 'critical' : undefined,
    );
    expect(tiers.decide(capture({}, entry('WEDDING/IMG_1.CR3')))).toBe('critical');
    expect(tiers.decide(capture({ rating: 5 }))).toBe('critical');
    expect(tiers.decide(capture())).toBe('standard');
    expect(DEFAULT_TIERS.decide(capture({}, entry('WEDDING/IMG_1.CR3')))).toBe('standard');
  });

  it('puts a tier no policy names last, with the default tier policy', () => {
    const tiers = DEFAULT_TIERS.withRules(() => 'mystery');
    expect(tiers.decide(capture())).toBe('mystery');
    expect(tiers.rank('mystery')).toBe(3);
    expect(tiers.policy('mystery')).toMatchObject({
      name: 'mystery',
      copies: 2,
      reserve: { percent: 1 },
    });
    expect(tierSyncRank('mystery')).toBeGreaterThan(tierSyncRank('bulk'));
    expect(tierSyncRank('critical')).toBeLessThan(tierSyncRank('standard'));
  });

  it('rejects a bad section with E_CONFIG naming the field', () => {
    expect(() => Tiers.fromConfig({ rules: [{ tier: 'hero', minRating: 3 }] })).toThrow(
      expect.objectContaining({
        code: 'E_CONFIG',
        subject: { field: 'tiers.rules.0.tier' },
        message: expect.stringContaining('unknown tier "hero"') as string,
      }),
    );
  });
});

describe('the tiers section of the config file', () => {
  const error = (yaml: string): string => {
    try {
      parseConfig(`version: 1\ntiers:\n${yaml}`, 'box.yaml');
    } catch (err) {
      return (err as Error).message;
    }
    return 'no error';
  };

  it('reads every rule kind and policy field', () => {
    const config = parseConfig(
      `version: 1
tiers:
  default: standard
  policies:
    critical: { copies: 2, verification: read-back, order: 1, sync: 1, reserve: 0 }
    standard: { reserve: 2.5% }
    bulk: { copies: 1, verification: source-hash, reserve: 1.5 GiB, whenLow: wait }
  rules:
    - { tier: critical, minRating: 4 }
    - { tier: critical, protected: true }
    - { tier: critical, label: [Red, Purple] }
    - { tier: critical, keywords: pick }
    - { tier: bulk, folder: TIMELAPSE }
    - { tier: bulk, kind: video }
    - { tier: critical, serial: "012345" }
    - { tier: critical, tethered: true }
`,
    );
    expect(config.tiers.policies.bulk).toEqual({
      copies: 1,
      verification: 'source-hash',
      reserve: { bytes: 1.5 * 2 ** 30 },
      whenLow: 'wait',
    });
    expect(config.tiers.policies.standard?.reserve).toEqual({ percent: 2.5 });
    expect(config.tiers.rules).toHaveLength(8);
    expect(config.tiers.rules?.[2]).toEqual({ tier: 'critical', label: ['Red', 'Purple'] });
    expect(config.tiers.rules?.[6]).toEqual({ tier: 'critical', serial: ['012345'] });
  });

  it('names the file, the field and what is wrong', () => {
    expect(error('  rules:\n    - { tier: hero, minRating: 4 }\n')).toBe(
      'box.yaml: field "tiers.rules.0.tier": unknown tier "hero" (tiers: critical, standard, bulk; add it under tiers.policies)',
    );
    expect(error('  rules:\n    - { tier: critical }\n')).toMatch(
      /^box\.yaml: field "tiers\.rules\.0": a rule needs a condition besides its tier \(minRating, protected/,
    );
    expect(error('  rules:\n    - { tier: critical, serial: 012345 }\n')).toMatch(
      /field "tiers\.rules\.0\.serial": quote serial numbers \("012345"\)/,
    );
    expect(error('  rules:\n    - { tier: critical, kind: raws }\n')).toMatch(
      /field "tiers\.rules\.0\.kind"/,
    );
    expect(error('  rules:\n    - { tier: critical, minRating: 6 }\n')).toMatch(
      /field "tiers\.rules\.0\.minRating"/,
    );
    expect(error('  rules:\n    - { tier: critical, colour: red }\n')).toMatch(
      /field "tiers\.rules\.0".*colour/,
    );
    expect(error('  policies:\n    bulk: { reserve: lots }\n')).toBe(
      'box.yaml: field "tiers.policies.bulk.reserve": "lots" is not a reserve (bytes, a size like "500 MB", "2 GB", "1.5 GiB", or a share of the vault up to "50%")',
    );
    expect(error('  policies:\n    bulk: { reserve: 60% }\n')).toMatch(
      /field "tiers\.policies\.bulk\.reserve": "60%" is not a reserve/,
    );
    expect(error('  policies:\n    bulk: { copies: 0 }\n')).toMatch(
      /field "tiers\.policies\.bulk\.copies"/,
    );
    expect(error('  policies:\n    bulk: { verification: none }\n')).toMatch(
      /field "tiers\.policies\.bulk\.verification"/,
    );
    expect(error('  policies:\n    Bulk: {}\n')).toMatch(
      /field "tiers\.policies\.Bulk".*lower-case/,
    );
    expect(error('  default: archive\n')).toBe(
      'box.yaml: field "tiers.default": unknown tier "archive" (tiers: critical, standard, bulk)',
    );
  });
});

describe('the README', () => {
  it('shows a tiers section that this FieldBackup accepts', async () => {
    const readme = await readFile(new URL('../../../README.md', import.meta.url), 'utf8');
    const section = readme.slice(readme.indexOf('## Tiers'));
    const yaml = /```yaml\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
    const tiers = Tiers.fromConfig(parseConfig(yaml, 'README.md').tiers);
    expect(tiers.policy('bulk')).toMatchObject({
      copies: 1,
      whenLow: 'wait',
      reserve: { bytes: 5e9 },
      sync: 9,
    });
    expect(tiers.decide(capture({ rating: 4 }))).toBe('critical');
    expect(tiers.decide(capture({ kind: 'video' }, entry('CLIPS/C0001.MP4')))).toBe('bulk');
  });
});
