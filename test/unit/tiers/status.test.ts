import { describe, expect, it } from 'vitest';
import type { JobId, SourceId, VaultId } from '../../../src/core/index.js';
import {
  fileState,
  isSafeToFormat,
  jobStatus,
  statusLines,
  verdictLine,
  type FileProgress,
} from '../../../src/tiers/index.js';

const A = { id: 'a' as VaultId, label: 'SSD-A' };
const B = { id: 'b' as VaultId, label: 'SSD-B' };
const C = { id: 'c' as VaultId, label: 'SSD-C' };
const both = { a: 'read-back', b: 'read-back' } as FileProgress['copies'];

const file = (path: string, extra: Partial<FileProgress> = {}): FileProgress => ({
  relPath: path,
  captureKey: path.replace(/\..*$/, ''),
  tier: 'standard',
  rank: 1,
  size: 1000,
  copiesRequired: 2,
  verification: 'read-back',
  progress: 'done',
  copies: both,
  ...extra,
});

const job = {
  jobId: 'j1' as JobId,
  source: { id: 's1' as SourceId, kind: 'card' as const, name: 'EOS_R5', location: '/media/card' },
  state: 'finished' as const,
  startedAt: 0,
  vaults: [A, B],
};

describe('a file against its tier', () => {
  it('is secured only with the required copies, verified as the tier requires', () => {
    expect(fileState(file('x'), [A, B])).toBe('secured');
    expect(
      fileState(file('x', { copies: { a: 'read-back' } as FileProgress['copies'] }), [A, B]),
    ).toBe('short');
    const hashOnly = { a: 'source-hash', b: 'source-hash' } as FileProgress['copies'];
    expect(fileState(file('x', { copies: hashOnly }), [A, B])).toBe('failed');
    expect(fileState(file('x', { copies: hashOnly, verification: 'source-hash' }), [A, B])).toBe(
      'secured',
    );
    expect(
      fileState(
        file('x', { copiesRequired: 1, copies: { b: 'read-back' } as FileProgress['copies'] }),
        [A, B],
      ),
    ).toBe('secured');
    // Copies on a vault that is not the job's do not count.
    expect(
      fileState(
        file('x', { copies: { a: 'read-back', c: 'read-back' } as FileProgress['copies'] }),
        [A, B],
      ),
    ).toBe('short');
    expect(fileState(file('x', { progress: 'pending', copies: {} }), [A, B])).toBe('pending');
    expect(fileState(file('x', { progress: 'waiting', copies: {} }), [A, B])).toBe('waiting');
    expect(fileState(file('x', { progress: 'failed', copies: {} }), [A, B])).toBe('failed');
  });

  it('makes the card safe to format only when every file is secured', () => {
    expect(isSafeToFormat([file('x'), file('y')], [A, B])).toBe(true);
    expect(isSafeToFormat([file('x'), file('y', { progress: 'pending' })], [A, B])).toBe(false);
    expect(isSafeToFormat([], [A, B])).toBe(true);
  });
});

describe('jobStatus', () => {
  it('counts captures, files and bytes per tier, per vault, in copy order', () => {
    const status = jobStatus(job, [
      file('IMG_1.CR3', { size: 3000 }),
      file('IMG_1.JPG', {
        copies: { a: 'read-back' } as FileProgress['copies'],
        reason: 'SSD-B is full',
      }),
      file('IMG_2.CR3', { tier: 'critical', rank: 0 }),
      file('IMG_3.MP4', {
        tier: 'bulk',
        rank: 2,
        progress: 'waiting',
        copies: {},
        reason: 'waiting for space',
      }),
      file('IMG_4.MP4', { tier: 'bulk', rank: 2, progress: 'pending', copies: {} }),
    ]);
    expect(status.tiers.map((t) => t.tier)).toEqual(['critical', 'standard', 'bulk']);
    const standard = status.tiers[1]!;
    expect(standard.total).toEqual({ captures: 1, files: 2, bytes: 4000 });
    expect(standard.copied).toEqual({ captures: 0, files: 1, bytes: 3000 });
    expect(standard.short).toEqual({ captures: 1, files: 1, bytes: 1000 });
    expect(standard.verified).toEqual([
      { vault: 'SSD-A', vaultId: 'a', amount: { captures: 1, files: 2, bytes: 4000 } },
      { vault: 'SSD-B', vaultId: 'b', amount: { captures: 0, files: 1, bytes: 3000 } },
    ]);
    const bulk = status.tiers[2]!;
    expect(bulk.notCopied).toEqual({ captures: 1, files: 1, bytes: 1000 });
    expect(bulk.pending).toEqual({ captures: 1, files: 1, bytes: 1000 });
    expect(status.short).toEqual([
      { path: 'IMG_1.JPG', tier: 'standard', required: 2, on: ['SSD-A'], reason: 'SSD-B is full' },
    ]);
    expect(status.notCopied).toEqual([
      { path: 'IMG_3.MP4', tier: 'bulk', state: 'waiting', reason: 'waiting for space' },
    ]);
    expect(status.safeToFormat).toBe(false);
    expect(verdictLine(status)).toBe(
      'NOT safe to format: keep the card. 1 file on a single copy, 1 file not copied (waiting for space), 1 file still being copied.',
    );
  });

  it('is safe only when finished, with every file planned and secured', () => {
    const files = [file('IMG_1.CR3'), file('IMG_2.CR3')];
    expect(jobStatus(job, files).safeToFormat).toBe(true);
    expect(jobStatus({ ...job, state: 'running' }, files).safeToFormat).toBe(false);
    const unplanned = jobStatus(job, files, 3);
    expect(unplanned.safeToFormat).toBe(false);
    expect(verdictLine(unplanned)).toBe(
      'NOT safe to format: keep the card. Not every file of the card is accounted for.',
    );
    expect(statusLines(jobStatus(job, files))).toEqual([
      '  standard: 2 of 2 captures copied (2.0 KB of 2.0 KB); verified on SSD-A 2, SSD-B 2',
      'Every file has the verified copies its tier requires: the card is safe to format.',
    ]);
  });

  it('names failed files and files short of one of three copies, and shortens long lists', () => {
    const three = { ...job, vaults: [A, B, C] };
    const status = jobStatus(three, [
      file('IMG_1.CR3', { copiesRequired: 3, reason: 'SSD-C is unavailable' }),
      file('IMG_2.CR3', { progress: 'failed', copies: {}, reason: 'cannot read IMG_2.CR3: EIO' }),
      file('IMG_3.CR3', { progress: 'failed', copies: {}, reason: 'cannot read IMG_3.CR3: EIO' }),
    ]);
    expect(statusLines(status, 1)).toEqual([
      '  standard: 0 of 3 captures copied (0 B of 3.0 KB), 1 short of a copy, 2 not copied; verified on SSD-A 1, SSD-B 1, SSD-C 0',
      'Fewer copies than required (1 file):',
      '  IMG_1.CR3 (standard): 2 of 3 copies: SSD-C is unavailable',
      'Not copied (2 files):',
      '  IMG_2.CR3 (standard): cannot read IMG_2.CR3: EIO',
      '  … and 1 more',
      'NOT safe to format: keep the card. 1 file with fewer copies than required, 2 files failed.',
    ]);
  });
});
