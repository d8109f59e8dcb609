import { describe, expect, it } from 'vitest';
import { asContentHash } from '../../../src/core/index.js';
import {
  conflictBase,
  conflictName,
  isEditableMetadata,
  isNewer,
  syncOrder,
} from '../../../src/sync/index.js';

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
    expect(items.sort(syncOrder(['bulk', 'critical'])).map((i) => i.tier)[0]).toBe('bulk');
  });
});
