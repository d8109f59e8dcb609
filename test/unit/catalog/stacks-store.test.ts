import { describe, expect, it } from 'vitest';
import {
  ReclaimStore,
  StacksStore,
  type Catalog,
  type ContentHash,
  type JobId,
  type StackRecord,
  type VaultId,
} from '../../../src/index.js';
import { openCatalog } from '../../helpers/box.js';
import { tempDir } from '../../helpers/tmp.js';

const h = (n: number): ContentHash => n.toString(16).padStart(32, '0') as ContentHash;
const A = 'vault-a' as VaultId;
const B = 'vault-b' as VaultId;

/** Content `x` verified on both vaults (a/IMG_x.JPG, b/IMG_x.JPG). */
const onBoth = (catalog: Catalog, x: number, size: number): Promise<void> =>
  catalog.commitFile({
    hash: h(x),
    size,
    copies: [
      { vaultId: A, path: `a/IMG_${x}.JPG`, verifiedAt: 1, modifiedMs: 1 },
      { vaultId: B, path: `b/IMG_${x}.JPG`, verifiedAt: 1, modifiedMs: 1 },
    ],
  });

function stack(jobId: JobId, no: number, hashes: readonly number[], pick: number): StackRecord {
  return {
    jobId,
    no,
    kind: 'burst',
    pick,
    frames: hashes.map((x) => ({
      captureKey: `dcim/img_${x}`,
      files: [{ relPath: `DCIM/IMG_${x}.JPG`, hash: h(x) }],
    })),
  };
}

describe('StacksStore', () => {
  it('replaces a job’s stacks, counts them, and never demotes a content that is a pick on another card', async () => {
    const catalog = await openCatalog(await tempDir());
    const store = new StacksStore(catalog);
    const j1 = 'job-1' as JobId;
    const j2 = 'job-2' as JobId;
    await store.pending(j1, 'wildlife', 1);
    expect(store.job(j1)).toMatchObject({ state: 'pending' });
    await store.record(j1, [stack(j1, 1, [1, 2, 3], 0), stack(j1, 2, [4, 5], 1)], {
      profile: 'wildlife',
      analysed: 6,
      skipped: 1,
      at: 2,
    });
    expect(store.job(j1)).toMatchObject({
      state: 'done',
      bursts: 2,
      brackets: 0,
      frames: 5,
      analysed: 6,
      skipped: 1,
    });
    expect(store.role(h(1))).toEqual({ jobId: j1, no: 1, kind: 'burst', pick: true });
    expect(store.role(h(2))?.pick).toBe(false);
    // Content 1 on a second card, not its pick there: stays a pick.
    await store.record(j2, [stack(j2, 1, [7, 1], 0)], {
      profile: 'wildlife',
      analysed: 2,
      skipped: 0,
      at: 3,
    });
    expect(store.role(h(1))).toMatchObject({ jobId: j1, pick: true });
    // Detection again for job 1 with fewer stacks: the old ones go.
    await store.record(j1, [stack(j1, 1, [1, 2], 1)], {
      profile: 'wildlife',
      analysed: 6,
      skipped: 0,
      at: 4,
    });
    expect([...store.stacksOf(j1)]).toHaveLength(1);
    expect(store.stack(j1, 2)).toBeUndefined();
    await store.failed(j2, 'sports', 'exiftool died', 5);
    expect(store.job(j2)).toMatchObject({
      state: 'failed',
      reason: 'exiftool died',
      bursts: 1,
      profile: 'sports',
    });
  });

  it('records what the economy kept in the transaction that releases a copy, lists it, and forgets it on clear', async () => {
    const catalog = await openCatalog(await tempDir());
    const store = new StacksStore(catalog);
    const j1 = 'job-1' as JobId;
    await onBoth(catalog, 2, 100);
    await new ReclaimStore(catalog).release(h(2), [B], 6, { jobId: j1, no: 1 });
    expect(store.economyOf(h(2))).toEqual({ copies: 1, jobId: j1, no: 1, at: 6 });
    expect([...store.economised()]).toEqual([{ hash: h(2), record: store.economyOf(h(2)) }]);
    await store.clearEconomy(h(2));
    expect(store.economyOf(h(2))).toBeUndefined();
  });
});

describe('ReclaimStore', () => {
  it('takes a copy out of the catalog only while another verified copy stays, and remembers it until deleted', async () => {
    const catalog = await openCatalog(await tempDir());
    const reclaim = new ReclaimStore(catalog);
    await onBoth(catalog, 9, 100);
    expect(await reclaim.release(h(9), [A, B], 5)).toBe(false);
    expect(Object.keys(catalog.object(h(9))?.copies ?? {})).toEqual([A, B]);
    expect(await reclaim.release(h(404), [A], 5)).toBe(false);

    const released = await reclaim.release(h(9), [B], 5);
    expect(released).toEqual([{ vaultId: B, path: 'b/IMG_9.JPG', hash: h(9), size: 100 }]);
    expect(Object.keys(catalog.object(h(9))?.copies ?? {})).toEqual([A]);
    // Until the file is deleted, a crash leaves it listed for the next economy pass to finish.
    expect(reclaim.pendingOn(B)).toEqual(released);
    expect(reclaim.pendingOn(A)).toEqual([]);
    await reclaim.done((released as [never])[0]);
    expect(reclaim.pendingOn(B)).toEqual([]);
  });

  it('owes the vault an ASC MHL record of a listed copy it releases; a copy never listed just leaves the queue', async () => {
    const catalog = await openCatalog(await tempDir());
    const reclaim = new ReclaimStore(catalog);
    await onBoth(catalog, 1, 10);
    await onBoth(catalog, 2, 20);
    // IMG_1 is in a generation already; IMG_2 is still waiting for one.
    await catalog.markMhlWritten(A, ['a/IMG_1.JPG']);
    await catalog.markMhlWritten(B, ['b/IMG_1.JPG']);
    await reclaim.release(h(1), [B], 77);
    await reclaim.release(h(2), [B], 78);
    expect(catalog.pendingMhl(B)).toEqual([
      { path: 'b/IMG_1.JPG', hash: h(1), size: 10, removed: true, removedAt: 77 },
    ]);
    expect(catalog.pendingMhl(A).map((p) => p.path)).toEqual(['a/IMG_2.JPG']);
    expect(catalog.pathOwner(B, 'b/IMG_1.JPG')).toBeUndefined();
  });
});
