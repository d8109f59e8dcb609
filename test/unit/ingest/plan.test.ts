import { describe, expect, it } from 'vitest';
import type { SourceEntry } from '../../../src/core/index.js';
import { captureKeyOf, planIngest } from '../../../src/ingest/index.js';
import type { PlanTagReader, PlanTags } from '../../../src/media/index.js';
import type { CaptureFacts, TierRule } from '../../../src/tiers/index.js';
import { useTimeZone } from '../../helpers/unit-tz.js';

const MTIME = Date.UTC(2026, 5, 1, 12, 0, 0);
const entry = (relPath: string, extra: Partial<SourceEntry> = {}): SourceEntry => ({
  relPath,
  size: 100,
  mtimeMs: MTIME,
  protected: false,
  ...extra,
});
const wall = (iso: string): Date => new Date(`${iso}Z`);

/** A PlanTagReader that answers from a table keyed by relative path, and records what it was asked. */
class FakeTags implements PlanTagReader {
  readonly asked: string[][] = [];
  constructor(private readonly byRel: Record<string, PlanTags>) {}
  read(paths: readonly string[]): Promise<Map<string, PlanTags>> {
    this.asked.push([...paths]);
    const out = new Map<string, PlanTags>();
    for (const p of paths) {
      const t = this.byRel[p.replace('/card/', '')];
      if (t !== undefined) out.set(p, t);
    }
    return Promise.resolve(out);
  }
}
const localPath = (e: SourceEntry): string => `/card/${e.relPath}`;
const byRating: TierRule = (c) =>
  (c.rating ?? 0) >= 4 ? 'critical' : c.rating === undefined ? 'bulk' : 'standard';

describe('captureKeyOf', () => {
  it('groups a capture by folder and stem, case-insensitively, including double extensions', () => {
    const key = captureKeyOf('DCIM/100CANON/IMG_0001.CR2');
    expect(key).toBe('dcim/100canon/img_0001');
    for (const p of [
      'DCIM/100CANON/IMG_0001.JPG',
      'DCIM/100CANON/img_0001.xmp',
      'DCIM/100CANON/IMG_0001.CR2.xmp',
    ])
      expect(captureKeyOf(p)).toBe(key);
  });

  it('keeps other folders, other stems and names without extension apart', () => {
    expect(captureKeyOf('DCIM/101CANON/IMG_0001.CR2')).not.toBe(
      captureKeyOf('DCIM/100CANON/IMG_0001.CR2'),
    );
    expect(captureKeyOf('IMG_00010.CR2')).not.toBe(captureKeyOf('IMG_0001.CR2'));
    expect(captureKeyOf('README')).toBe('readme');
    expect(captureKeyOf('.hidden')).toBe('.hidden');
  });
});

describe('planIngest', () => {
  it('asks the tag reader once for every entry by local path', async () => {
    const tags = new FakeTags({});
    await planIngest([entry('a.CR2'), entry('b.CR2')], { tierRule: byRating, tags, localPath });
    expect(tags.asked).toEqual([['/card/a.CR2', '/card/b.CR2']]);
  });

  it('decides the tier once per capture from the best rating of its members', async () => {
    const entries = [
      entry('D/IMG_1.CR2'),
      entry('D/IMG_1.JPG'),
      entry('D/img_1.CR2.xmp'),
      entry('D/IMG_2.CR2'),
    ];
    const tags = new FakeTags({
      'D/IMG_1.CR2': { rating: 2 },
      'D/img_1.CR2.xmp': { rating: 5, keywords: ['pick'] },
      'D/IMG_2.CR2': { rating: 1 },
    });
    const calls: CaptureFacts[] = [];
    const rule: TierRule = (c) => (calls.push(c), byRating(c));
    const plan = await planIngest(entries, { tierRule: rule, tags, localPath });
    expect(calls).toHaveLength(2);
    expect(calls[0]?.entries.map((e) => e.relPath)).toEqual([
      'D/IMG_1.CR2',
      'D/IMG_1.JPG',
      'D/img_1.CR2.xmp',
    ]);
    expect(calls[0]?.rating).toBe(5);
    expect(calls[0]?.keywords).toEqual(['pick']);
    const tierOf = new Map(plan.map((p) => [p.entry.relPath, p.tier]));
    expect(tierOf.get('D/IMG_1.JPG')).toBe('critical');
    expect(tierOf.get('D/IMG_2.CR2')).toBe('standard');
    expect(new Set(plan.filter((p) => p.tier === 'critical').map((p) => p.captureKey))).toEqual(
      new Set(['d/img_1']),
    );
  });

  it('orders by tier rank, then card order', async () => {
    const entries = [
      entry('a.CR2'),
      entry('b.CR2'),
      entry('c.CR2'),
      entry('d.CR2'),
      entry('e.CR2'),
    ];
    const tags = new FakeTags({
      'b.CR2': { rating: 1 },
      'c.CR2': { rating: 5 },
      'e.CR2': { rating: 4 },
    });
    const plan = await planIngest(entries, { tierRule: byRating, tags, localPath });
    expect(plan.map((p) => `${p.tier}:${p.entry.relPath}`)).toEqual([
      'critical:c.CR2',
      'critical:e.CR2',
      'standard:b.CR2',
      'bulk:a.CR2',
      'bulk:d.CR2',
    ]);
  });

  it('follows a custom tier order and puts unknown tiers last', async () => {
    const rule: TierRule = (c) =>
      c.entries[0]!.relPath.startsWith('x')
        ? 'mystery'
        : c.entries[0]!.relPath.startsWith('b')
          ? 'bulk'
          : 'critical';
    const plan = await planIngest([entry('x.CR2'), entry('a.CR2'), entry('b.CR2')], {
      tierRule: rule,
      tierOrder: ['bulk', 'critical'],
    });
    expect(plan.map((p) => p.entry.relPath)).toEqual(['b.CR2', 'a.CR2', 'x.CR2']);
  });

  it('takes the capture time from own tags, else a sibling, else the entry, else the mtime', async () => {
    useTimeZone('Europe/Berlin');
    const entries = [
      entry('A/IMG_1.CR2'),
      entry('A/IMG_1.WAV'),
      entry('A/IMG_2.JPG', { captureTime: wall('2026-05-05T05:05:05') }),
      entry('A/IMG_3.JPG'),
    ];
    const tags = new FakeTags({
      'A/IMG_1.CR2': { captureTime: { wallClock: wall('2026-03-07T09:05:03') }, model: 'EOS R5' },
      'A/IMG_1.WAV': {},
    });
    const plan = await planIngest(entries, { tierRule: byRating, tags, localPath });
    const time = new Map(plan.map((p) => [p.entry.relPath, p.captureTime.toISOString()]));
    expect(time.get('A/IMG_1.CR2')).toBe('2026-03-07T09:05:03.000Z');
    expect(time.get('A/IMG_1.WAV')).toBe('2026-03-07T09:05:03.000Z');
    expect(time.get('A/IMG_2.JPG')).toBe('2026-05-05T05:05:05.000Z');
    // 12:00 UTC on 1 June is 14:00 on the box's clock in Berlin (summer time).
    expect(time.get('A/IMG_3.JPG')).toBe('2026-06-01T14:00:00.000Z');
    expect(plan.find((p) => p.entry.relPath === 'A/IMG_1.WAV')?.camera).toBe('EOS R5');
    expect(plan.find((p) => p.entry.relPath === 'A/IMG_3.JPG')?.camera).toBeUndefined();
  });

  it("prefers a file's own capture time over its sibling's", async () => {
    const tags = new FakeTags({
      'IMG_1.CR2': { captureTime: { wallClock: wall('2026-01-01T10:00:00') } },
      'IMG_1.JPG': { captureTime: { wallClock: wall('2026-01-01T10:00:01') } },
    });
    const plan = await planIngest([entry('IMG_1.CR2'), entry('IMG_1.JPG')], {
      tierRule: byRating,
      tags,
      localPath,
    });
    expect(plan.map((p) => p.captureTime.toISOString())).toEqual([
      '2026-01-01T10:00:00.000Z',
      '2026-01-01T10:00:01.000Z',
    ]);
  });

  it('plans from names and mtimes alone without a tag reader', async () => {
    const plan = await planIngest([entry('a.CR2')], { tierRule: byRating });
    expect(plan).toHaveLength(1);
    expect(plan[0]?.tier).toBe('bulk');
    expect(plan[0]?.captureKey).toBe('a');
  });
});
