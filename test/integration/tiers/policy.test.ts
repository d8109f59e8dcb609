import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  FolderSource,
  ingest,
  nodeVaultIo,
  Tiers,
  type IngestDoneEvent,
  type IngestEvent,
  type VaultIo,
} from '../../../src/index.js';
import { openCatalog, setupBox, type Bench } from '../../helpers/box.js';
import { photosOf } from '../../helpers/tree.js';

/** Counts read-backs from the medium, per vault root. */
function countingIo(box: Bench): { io: VaultIo; readBacks: () => { a: number; b: number } } {
  let a = 0;
  let b = 0;
  return {
    io: {
      ...nodeVaultIo,
      readBack(path) {
        if (path.startsWith(box.vaultA)) a++;
        else b++;
        return nodeVaultIo.readBack(path);
      },
    },
    readBacks: () => ({ a, b }),
  };
}

describe('per-tier policy', () => {
  it('source-hash verification skips the read-back and says so on each copy; read-back later upgrades without rewriting', async () => {
    const box = await setupBox({ captures: 3, jpeg: false });
    const catalog = await openCatalog(box.home);
    const run = async (
      verification: 'source-hash' | 'read-back',
    ): Promise<[IngestDoneEvent, { a: number; b: number }]> => {
      const { io, readBacks } = countingIo(box);
      const done = await ingest({
        source: new FolderSource(box.card),
        vaults: [box.vaultA, box.vaultB],
        catalog,
        vaultIo: io,
        tiers: Tiers.fromConfig({ policies: { standard: { verification } } }),
      });
      return [done, readBacks()];
    };

    const [quick, quickReads] = await run('source-hash');
    expect(quick).toMatchObject({ copied: 3, safeToFormat: true, exitCode: 0 });
    expect(quickReads).toEqual({ a: 0, b: 0 });
    expect(quick.tiers).toMatchObject([
      { tier: 'standard', verification: 'source-hash', copied: { files: 3 } },
    ]);
    const object = [...catalog.allObjects()].map((o) => o.record);
    expect(object.flatMap((o) => Object.values(o.copies).map((c) => c.verification))).toEqual(
      Array(6).fill('source-hash'),
    );

    // The same card under a tier that wants read-back: every copy is read back once, nothing is written.
    const [strict, strictReads] = await run('read-back');
    expect(strict).toMatchObject({
      unchanged: 3,
      bytesWritten: 0,
      safeToFormat: true,
      exitCode: 0,
    });
    expect(strictReads).toEqual({ a: 3, b: 3 });
    const after = [...catalog.allObjects()].map((o) => o.record);
    expect(after.flatMap((o) => Object.values(o.copies).map((c) => c.verification))).toEqual(
      Array(6).fill('read-back'),
    );
  });

  it('copies: 1 writes one copy, on the first vault, and that is safe for the tier', async () => {
    const box = await setupBox({ captures: 2, jpeg: true });
    const catalog = await openCatalog(box.home);
    const events: IngestEvent[] = [];
    const done = await ingest({
      source: new FolderSource(box.card),
      vaults: [box.vaultA, box.vaultB],
      catalog,
      tiers: Tiers.fromConfig({ policies: { standard: { copies: 1 } } }),
      onEvent: (e) => events.push(e),
    });
    expect(done).toMatchObject({ copied: 4, degraded: 0, safeToFormat: true, exitCode: 0 });
    expect(done.bytesWritten).toBe(box.shoot.reduce((n, f) => n + f.size, 0));
    expect((await photosOf(box.vaultA)).size).toBe(4);
    expect((await photosOf(box.vaultB)).size).toBe(0);
    for (const e of events.filter((e) => e.event === 'file'))
      expect(e).toMatchObject({ missing: ['SSD-B'] });
    expect(done.tiers[0]?.verified.map((v) => v.amount.files)).toEqual([4, 0]);
  });

  it('a copy that reads back wrong when the tier asks for read-back is not counted, and scrub is named', async () => {
    const box = await setupBox({ captures: 1, jpeg: false });
    const catalog = await openCatalog(box.home);
    const opts = { source: new FolderSource(box.card), vaults: [box.vaultA, box.vaultB], catalog };
    await ingest({
      ...opts,
      tiers: Tiers.fromConfig({ policies: { standard: { verification: 'source-hash' } } }),
    });
    const [path] = [...(await photosOf(box.vaultB)).keys()];
    await writeFile(join(box.vaultB, 'Photos', path!), 'rotten');
    const events: IngestEvent[] = [];
    const done = await ingest({ ...opts, onEvent: (e) => events.push(e) });
    expect(done).toMatchObject({ degraded: 1, safeToFormat: false, exitCode: 1 });
    expect(done.short[0]).toMatchObject({
      on: ['SSD-A'],
      reason: 'the copy on SSD-B reads back wrong (fieldbackup scrub repairs it)',
    });
    expect(events.find((e) => e.event === 'error')).toMatchObject({
      code: 'E_VERIFY_MISMATCH',
      vault: 'SSD-B',
    });
  });
});
