import * as fs from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  checkMhlHistory,
  FolderSource,
  ingest,
  readMhlHistory,
  ReclaimStore,
  removedPattern,
  StacksStore,
  type Catalog,
  type IngestEvent,
  type JobId,
} from '../../../src/index.js';
import { ascmhlMissing, hasPathspec, validateMhlFolder } from '../../helpers/ascmhl-check.js';
import { openCatalog, scrubBox, setupBox, type Bench } from '../../helpers/box.js';
import {
  exists,
  generationsOf,
  recordJobAsBurst,
  thin,
  vaultIdOf,
} from '../../helpers/economy-box.js';
import { hasCommand, prerequisite } from '../../helpers/prereq.js';

/** A card of RAW+JPEG captures on two vaults, recorded as one burst (the first capture the pick). */
async function burstOnTwoVaults(
  captures = 4,
): Promise<{ box: Bench; catalog: Catalog; jobId: JobId }> {
  const box = await setupBox({ captures, rawBytes: [20_000, 60_000] });
  const catalog = await openCatalog(box.home);
  const done = await ingest({
    source: new FolderSource(box.card),
    vaults: [box.vaultA, box.vaultB],
    catalog,
  });
  expect(done.safeToFormat).toBe(true);
  await recordJobAsBurst(catalog, done.jobId);
  return { box, catalog, jobId: done.jobId };
}

/** Every way the box and ascmhl look at a vault's history: all must find it whole. */
async function expectHistoryWhole(root: string): Promise<void> {
  const mhl = join(root, 'Photos', 'ascmhl');
  expect((await checkMhlHistory(join(root, 'Photos'), mhl)).problems).toEqual([]);
  if (prerequisite('python3-pathspec', hasPathspec())) expect(ascmhlMissing(root)).toEqual([]);
  if (prerequisite('xmllint', hasCommand('xmllint'))) await validateMhlFolder(mhl);
}

describe('the stack economy and the vaults’ ASC MHL histories', () => {
  it('records the copies it removes in a new generation of that vault: the chain validates, and neither scrub nor ascmhl finds a file missing', async () => {
    const { box, catalog, jobId } = await burstOnTwoVaults();
    const before = { a: await generationsOf(box.vaultA), b: await generationsOf(box.vaultB) };
    const b = await vaultIdOf(box.vaultB);
    const listedOnB = new Set(
      (await readMhlHistory(join(box.vaultB, 'Photos', 'ascmhl'))).files.keys(),
    );

    const result = await thin(catalog, jobId, [box.vaultA, box.vaultB]);
    // Three non-pick captures, a RAW and a JPEG each: their copies on SSD-B go.
    expect(result).toMatchObject({ copies: 6 });
    expect(result.problems).toBeUndefined();
    const removed = [...listedOnB].filter((p) => catalog.pathOwner(b, p) === undefined);
    expect(removed).toHaveLength(6);
    for (const p of removed) expect(await exists(join(box.vaultB, 'Photos', p))).toBe(false);

    // One new generation on SSD-B, none on SSD-A (nothing left it).
    expect(await generationsOf(box.vaultA)).toEqual(before.a);
    const after = await generationsOf(box.vaultB);
    expect(after.slice(0, -1)).toEqual(before.b);
    const latest = await fs.readFile(join(box.vaultB, 'Photos', 'ascmhl', after.at(-1)!), 'utf8');
    expect(latest).toContain(
      '<comment>stack economy: 6 extra copies of non-pick frames removed</comment>',
    );
    expect(latest).not.toContain('<hashes>');
    const history = await readMhlHistory(join(box.vaultB, 'Photos', 'ascmhl'));
    expect(history.ignore.filter((p) => p.startsWith('**/')).sort()).toEqual(
      removed.map(removedPattern).sort(),
    );
    expect(catalog.pendingMhl(b)).toEqual([]);

    await expectHistoryWhole(box.vaultB);
    await expectHistoryWhole(box.vaultA);
    const { done } = await scrubBox(box, catalog);
    expect(done).toMatchObject({ unrepairable: 0, mhlProblems: 0, exitCode: 0 });

    // A later ingest's generation carries the removals on: ascmhl reads only the latest list.
    await fs.copyFile(
      join(box.card, 'DCIM/100CANON/IMG_0001.JPG'),
      join(box.card, 'DCIM/100CANON/EXTRA.JPG'),
    );
    await ingest({ source: new FolderSource(box.card), vaults: [box.vaultA, box.vaultB], catalog });
    expect((await generationsOf(box.vaultB)).length).toBe(after.length + 1);
    await expectHistoryWhole(box.vaultB);
  });

  it('scrub names a file that left a vault with no record of it (deleted behind the box’s back)', async () => {
    const { box, catalog } = await burstOnTwoVaults(1);
    const victim = 'DCIM/100CANON/IMG_0001.JPG';
    const path = [
      ...(await readMhlHistory(join(box.vaultA, 'Photos', 'ascmhl'))).files.keys(),
    ].find((p) => p.endsWith('IMG_0001.JPG'))!;
    expect(path).toContain(victim.split('/').at(-1));
    for (const v of [box.vaultA, box.vaultB]) await fs.rm(join(v, 'Photos', path));
    const { done, events } = await scrubBox(box, catalog);
    expect(done).toMatchObject({ unrepairable: 2, mhlProblems: 2, exitCode: 1 });
    expect(events.filter((e) => e.event === 'mhl-problem')).toEqual([
      expect.objectContaining({ vault: 'SSD-A', kind: 'missing', path }),
      expect.objectContaining({ vault: 'SSD-B', kind: 'missing', path }),
    ]);
    if (prerequisite('python3-pathspec', hasPathspec()))
      expect(ascmhlMissing(box.vaultB)).toEqual([path]);
  });

  it.each([
    ['after the catalog let the copy go, before the file was deleted', false],
    ['after the file was deleted, before the generation was written', true],
  ])(
    'a crash %s ends with the file gone and the generation written when the vaults are next opened',
    async (_when, deleted) => {
      const { box, catalog, jobId } = await burstOnTwoVaults(2);
      const b = await vaultIdOf(box.vaultB);
      const sourceId = catalog.job(jobId)!.sourceId;
      const frame = [...catalog.filesOfSource(sourceId)].find((f) =>
        f.relPath.endsWith('IMG_0002.CR2'),
      )!;
      const path = catalog.object(frame.hash)!.copies[b]!.path;
      const before = await generationsOf(box.vaultB);
      // The economy's own steps, cut off where the crash would cut them.
      const reclaim = new ReclaimStore(catalog);
      const released = await reclaim.release(frame.hash, [b], Date.now(), { jobId, no: 1 });
      expect(released).toHaveLength(1);
      if (deleted) {
        await fs.unlink(join(box.vaultB, 'Photos', path));
        await reclaim.done((released as [never])[0]);
      }
      expect(catalog.pendingMhl(b).map((p) => p.removed === true && p.path)).toEqual([path]);

      // The same card again, with the economy on as the CLI runs it: the vaults' next open.
      const events: IngestEvent[] = [];
      const stacks = new StacksStore(catalog);
      await ingest({
        source: new FolderSource(box.card),
        vaults: [box.vaultA, box.vaultB],
        catalog,
        economy: { copiesFor: (hash) => stacks.economyOf(hash)?.copies },
        onEvent: (e) => events.push(e),
      });
      expect(await exists(join(box.vaultB, 'Photos', path))).toBe(false);
      expect(reclaim.pendingOn(b)).toEqual([]);
      expect(catalog.pendingMhl(b)).toEqual([]);
      const generations = await generationsOf(box.vaultB);
      expect(generations.length).toBeGreaterThan(before.length);
      expect((await readMhlHistory(join(box.vaultB, 'Photos', 'ascmhl'))).ignore).toContain(
        removedPattern(path),
      );
      const recovered = events.filter((e) => e.event === 'warning' && e.code === 'E_RECOVERED');
      expect(recovered.map((e) => (e.event === 'warning' ? e.message : ''))).toEqual(
        deleted
          ? []
          : [
              'vault SSD-B: 1 extra copies the stack economy had let go of were removed after an interruption and recorded in its ASC MHL history',
            ],
      );
      await expectHistoryWhole(box.vaultB);
      // The frame is still held once, on SSD-A.
      expect(Object.keys(catalog.object(frame.hash)!.copies)).toEqual([
        await vaultIdOf(box.vaultA),
      ]);
    },
  );

  it('reports a generation it cannot write, keeps it owed, and writes it at the next open', async () => {
    const { box, catalog, jobId } = await burstOnTwoVaults(2);
    const b = await vaultIdOf(box.vaultB);
    // SSD-B's ascmhl folder cannot be written: a file stands where the folder was.
    const mhl = join(box.vaultB, 'Photos', 'ascmhl');
    await fs.rename(mhl, `${mhl}.away`);
    await fs.writeFile(mhl, 'in the way');
    const result = await thin(catalog, jobId, [box.vaultA, box.vaultB]);
    expect(result.copies).toBe(2);
    expect(result.problems).toHaveLength(1);
    expect(result.problems![0]).toMatch(
      /^vault SSD-B: the ASC MHL generation recording 2 removed copies was not written \(.+\); it is written when the vault is next opened$/,
    );
    expect(catalog.pendingMhl(b).filter((p) => p.removed === true)).toHaveLength(2);

    await fs.rm(mhl);
    await fs.rename(`${mhl}.away`, mhl);
    await ingest({ source: new FolderSource(box.card), vaults: [box.vaultA, box.vaultB], catalog });
    expect(catalog.pendingMhl(b)).toEqual([]);
    await expectHistoryWhole(box.vaultB);
  });
});
