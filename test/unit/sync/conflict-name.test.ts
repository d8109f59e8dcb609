import { describe, expect, it } from 'vitest';
import { asContentHash } from '../../../src/core/index.js';
import {
  conflictBase,
  conflictName,
  isEditableMetadata,
  isNewer,
  syncOrder,
} from '../../../src/sync/index.js';
import { Tiers } from '../../../src/tiers/index.js';

const H1 = asContentHash('11111111111111111111111111111111');
const H2 = asContentHash('22222222222222222222222222222222');

describe('sidecar versions', () => {
  it('edited sidecars and metadata are versions; camera files are not', () => {
    for (const p of ['a/IMG_0001.xmp', 'IMG_0001.XMP', 'x.dop', 'x.pp3', 'x.on1', 'x.cos'])
      expect(isEditableMetadata(p), p).toBe(true);
    for (const p of [
      'a/IMG_0001.CR2',
      'IMG_0001.JPG',
      'C0001M01.XML',
      'xmp',
      '.xmp',
      'a.xmp/b.CR3',
    ])
      expect(isEditableMetadata(p), p).toBe(false);
  });

  it('newest by whole seconds, then by hash, the same on every box', () => {
    expect(isNewer({ hash: H1, mtimeMs: 2000 }, { hash: H2, mtimeMs: 1000 })).toBe(true);
    expect(isNewer({ hash: H1, mtimeMs: 1900 }, { hash: H2, mtimeMs: 1000 })).toBe(false);
    expect(isNewer({ hash: H2, mtimeMs: 1900 }, { hash: H1, mtimeMs: 1000 })).toBe(true);
  });

  it('conflict names keep the extension, say when and from which box, and lead back to the path', () => {
    const at = Date.UTC(2026, 10, 21, 10, 10, 10, 500);
    const name = conflictName('2026/card/IMG_0001.xmp', at, 'Studio Box #2');
    expect(name).toBe('2026/card/IMG_0001.conflict-20261121-101010-Studio-Box-2.xmp');
    expect(conflictBase(name)).toBe('2026/card/IMG_0001.xmp');
    expect(conflictBase(name.replace('.xmp', '_2.xmp'))).toBe('2026/card/IMG_0001.xmp');
    expect(conflictName('notes', at, '')).toBe('notes.conflict-20261121-101010-box');
    expect(conflictBase('IMG_0001.xmp')).toBeUndefined();
    expect(conflictBase('a/my.conflict-notes.xmp')).toBeUndefined();
  });

  it('orders by tier, then capture time, then hash (the same order every run)', () => {
    const items = [
      { tier: 'bulk', captureTime: 1, hash: 'a' },
      { tier: 'standard', captureTime: 5, hash: 'b' },
      { tier: 'critical', captureTime: 9, hash: 'c' },
      { tier: 'standard', captureTime: 5, hash: 'a' },
      { tier: 'unknown', captureTime: 0, hash: 'z' },
    ];
    expect(items.sort(syncOrder()).map((i) => `${i.tier}:${i.hash}`)).toEqual([
      'critical:c',
      'standard:a',
      'standard:b',
      'bulk:a',
      'unknown:z',
    ]);
  });

  it("follows the config's sync ranks, a custom tier at its own rank", () => {
    const items = [
      { tier: 'critical', captureTime: 1, hash: 'a' },
      { tier: 'standard', captureTime: 1, hash: 'b' },
      { tier: 'bulk', captureTime: 1, hash: 'c' },
      { tier: 'hero', captureTime: 1, hash: 'd' },
      { tier: 'proofs', captureTime: 1, hash: 'e' },
    ];
    const tiers = Tiers.fromConfig({
      policies: { bulk: { sync: 0 }, hero: { sync: 2 }, proofs: { order: 9 } },
    });
    // bulk 0, critical 1, standard 2 = hero 2 (then by hash), proofs 9 (its copy order).
    expect(items.sort(syncOrder(tiers)).map((i) => i.tier)).toEqual([
      'bulk',
      'critical',
      'standard',
      'hero',
      'proofs',
    ]);
  });
});
