import * as fs from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  copyPicks,
  FolderSource,
  ingest,
  IngestSession,
  nodeVaultIo,
  StacksStore,
  systemClock,
  Vault,
  type Catalog,
  type ContentHash,
  type JobId,
  type VaultIo,
} from '../../../src/index.js';
import { openCatalog, setupBox, type Bench } from '../../helpers/box.js';
import { exists, recordJobAsBurst, thin, vaultIdOf } from '../../helpers/economy-box.js';

/** Two vaults under the economy: the burst's frames 2 and 3 are on SSD-A only. */
async function thinned(): Promise<{
  box: Bench;
  catalog: Catalog;
  jobId: JobId;
  frame: ContentHash;
  path: string;
}> {
  const box = await setupBox({ captures: 3, jpeg: false, rawBytes: [20_000, 40_000] });
  const catalog = await openCatalog(box.home);
  const done = await ingest({
    source: new FolderSource(box.card),
    vaults: [box.vaultA, box.vaultB],
    catalog,
  });
  const [burst] = await recordJobAsBurst(catalog, done.jobId);
  await thin(catalog, done.jobId, [box.vaultA, box.vaultB]);
  const frame = burst!.frames[1]!.files[0]!.hash;
  const a = await vaultIdOf(box.vaultA);
  return { box, catalog, jobId: done.jobId, frame, path: catalog.object(frame)!.copies[a]!.path };
}

/** SSD-B on a medium whose first read-back goes wrong (`mismatch`: other bytes; `eio`: fails). */
async function faultyB(box: Bench, fault: 'mismatch' | 'eio'): Promise<Vault> {
  let first = true;
  const io: VaultIo = {
    ...nodeVaultIo,
    async readBack(path) {
      const result = await nodeVaultIo.readBack(path);
      if (!first) return result;
      first = false;
      if (fault === 'eio') throw Object.assign(new Error('EIO: i/o error, read'), { code: 'EIO' });
      return { ...result, hash: 'f'.repeat(32) as ContentHash };
    },
  };
  return Vault.open(box.vaultB, io);
}

describe('copying picks back', () => {
  it('a copy that reads back wrong goes to quarantine and is reported with its file and vault; nothing is recorded', async () => {
    const { box, catalog, frame, path } = await thinned();
    const a = await Vault.open(box.vaultA);
    const b = await faultyB(box, 'mismatch');
    const report = await copyPicks([frame], [a, b], catalog, systemClock);
    expect(report.copied).toEqual([]);
    expect(report.problems).toEqual([
      {
        path,
        vault: 'SSD-B',
        code: 'E_VERIFY_MISMATCH',
        message: expect.stringMatching(
          new RegExp(
            `^${path} could not be copied to vault SSD-B: vault SSD-B: the copy of ${path} read back as f{32}`,
          ),
        ) as string,
      },
    ]);
    expect(catalog.object(frame)!.copies[b.id]).toBeUndefined();
    expect(await exists(join(box.vaultB, 'Photos', path))).toBe(false);
    const kept = await fs.readdir(join(box.vaultB, '.fieldbackup', 'quarantine'), {
      recursive: true,
    });
    expect(kept.some((p) => p.endsWith(path.split('/').at(-1)!))).toBe(true);
    expect(catalog.intentsOf(b.id)).toEqual([]);
    expect(new StacksStore(catalog).economyOf(frame)?.copies).toBe(1);

    // The next try, on a sound medium, makes it.
    const again = await copyPicks([frame], [a, await Vault.open(box.vaultB)], catalog, systemClock);
    expect(again.copied).toEqual([{ hash: frame, vault: 'SSD-B', path, from: 'SSD-A' }]);
    expect(new StacksStore(catalog).economyOf(frame)).toBeUndefined();
  });

  it('a read-back that fails leaves the placed copy to recovery, which verifies and adopts it at the next open', async () => {
    const { box, catalog, frame, path } = await thinned();
    const a = await Vault.open(box.vaultA);
    const b = await faultyB(box, 'eio');
    const report = await copyPicks([frame], [a, b], catalog, systemClock);
    expect(report.problems).toMatchObject([{ path, vault: 'SSD-B', code: 'E_IO' }]);
    expect(catalog.object(frame)!.copies[b.id]).toBeUndefined();
    expect(catalog.intentsOf(b.id)).toMatchObject([{ path, hash: frame }]);

    const session = await IngestSession.open({ vaults: [box.vaultA, box.vaultB], catalog });
    const [, recoveredB] = session.takeRecoveries();
    await session.close();
    expect(recoveredB).toMatchObject({ vault: 'SSD-B', adopted: 1 });
    expect(catalog.object(frame)!.copies[b.id]).toMatchObject({ path });
    expect(catalog.intentsOf(b.id)).toEqual([]);
  });

  it('a frame the economy thinned that becomes a stack’s pick on another card goes back to both vaults at the next open', async () => {
    const { box, catalog, frame, path } = await thinned();
    const stacks = new StacksStore(catalog);
    const other = 'job-card-2' as JobId;
    await stacks.record(
      other,
      [
        {
          jobId: other,
          no: 1,
          kind: 'burst',
          pick: 0,
          frames: [
            { captureKey: 'dcim/img_9001', files: [{ relPath: 'DCIM/IMG_9001.CR2', hash: frame }] },
          ],
        },
      ],
      { profile: 'test', analysed: 1, skipped: 0, at: Date.now() },
    );
    expect(stacks.role(frame)?.pick).toBe(true);
    const session = await IngestSession.open({ vaults: [box.vaultA, box.vaultB], catalog });
    const reports = session.takeRecoveries();
    await session.close();
    expect(reports.map((r) => [r.vault, r.picksCopied])).toEqual([
      ['SSD-A', 0],
      ['SSD-B', 1],
    ]);
    const b = await vaultIdOf(box.vaultB);
    expect(catalog.object(frame)!.copies[b]).toMatchObject({ path, verification: 'read-back' });
    expect(stacks.economyOf(frame)).toBeUndefined();
    // The other thinned frame, not a pick, stays on one copy.
    expect([...stacks.economised()].map((e) => e.hash).filter((h) => h !== frame)).toHaveLength(1);
  });
});
