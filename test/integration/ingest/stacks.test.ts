import * as fs from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  applyEconomy,
  BackgroundStacker,
  BUILT_IN_PROFILES,
  stacksLine,
  type SimilarityProfile,
  type StackEvent,
  captureIdOf,
  systemClock,
  type EconomyPolicy,
  initVault,
  StackQuery,
  StacksStore,
  Vault,
  type Catalog,
  type ContentHash,
  type JobId,
  type SourceId,
} from '../../../src/index.js';
import { openCatalog } from '../../helpers/box.js';
import { cli, doneOf } from '../../helpers/cli.js';
import { smallSimilarSet } from '../../helpers/similar-set.js';
import { tempDir } from '../../helpers/tmp.js';

interface StackBox {
  readonly card: string;
  readonly vaultA: string;
  readonly vaultB: string;
  readonly home: string;
}

async function stackBox(economy: 'on' | 'off'): Promise<StackBox> {
  const dir = await tempDir();
  const box = {
    card: join(dir, 'card'),
    vaultA: join(dir, 'ssd-a'),
    vaultB: join(dir, 'ssd-b'),
    home: join(dir, 'home'),
  };
  await initVault(box.vaultA, { label: 'SSD-A' });
  await initVault(box.vaultB, { label: 'SSD-B' });
  await fs.mkdir(box.home, { recursive: true });
  await fs.writeFile(
    join(box.home, 'config.yaml'),
    `version: 1\nsimilarity:\n  economy: ${economy}\n`,
  );
  await smallSimilarSet(join(box.card, 'DCIM'), 2, 3);
  return box;
}

const ingest = (b: StackBox, card = b.card): ReturnType<typeof cli> =>
  cli(['ingest', card, '--vault', b.vaultA, '--vault', b.vaultB, '--home', b.home, '--json']);

/** Copies of a content that exist on disk. */
async function copiesOnDisk(catalog: Catalog, hash: ContentHash): Promise<number> {
  const roots = new Map([...catalog.allVaults()].map((v) => [v.id as string, v.lastRoot]));
  let n = 0;
  for (const [vault, copy] of Object.entries(catalog.object(hash)?.copies ?? {}))
    if (
      await fs.stat(join(roots.get(vault) ?? '/none', 'Photos', copy.path)).then(
        () => true,
        () => false,
      )
    )
      n++;
  return n;
}

describe('stacks during ingest', () => {
  it('finds stacks after the copies are safe, stores them, makes them searchable and shows them in status', async () => {
    const b = await stackBox('off');
    const run = await ingest(b);
    expect(run.code).toBe(0);
    const kinds = run.events.map((e) => e.event);
    // "Safe to remove" comes first; stacks are looked for afterwards.
    expect(kinds.indexOf('done')).toBeLessThan(kinds.indexOf('stacks'));
    const done = doneOf(run) as {
      safeToFormat: boolean;
      jobId: JobId;
    };
    expect(done.safeToFormat).toBe(true);
    const stacksEvent = run.events.find((e) => e.event === 'stacks') as {
      bursts: number;
      brackets: number;
      frames: number;
    };
    expect(stacksEvent.bursts + stacksEvent.brackets).toBeGreaterThan(0);
    expect(run.events.some((e) => e.event === 'economy')).toBe(false);

    const status = await cli(['status', '--home', b.home, '--json']);
    expect(status.events[0]).toMatchObject({
      stacks: {
        state: 'done',
        bursts: stacksEvent.bursts,
        brackets: stacksEvent.brackets,
        frames: stacksEvent.frames,
      },
    });
    expect(status.events[0]).not.toHaveProperty('singleCopy');
    const text = await cli(['status', '--home', b.home]);
    expect(text.stdout).toContain(`Stacks: ${stacksEvent.bursts} burst`);

    const catalog = await openCatalog(b.home);
    const query = new StackQuery(catalog);
    const stacks = query.ofJob(done.jobId);
    expect(stacks).toHaveLength(stacksEvent.bursts + stacksEvent.brackets);
    for (const s of stacks) {
      expect(s.members.filter((m) => m.pick)).toHaveLength(1);
      expect(s.members.every((m) => !m.singleCopy)).toBe(true);
      expect(query.members(done.jobId, s.no)).toEqual(s);
    }
    const first = stacks[0];
    const member = first?.members[0];
    const sourceId = catalog.job(done.jobId)?.sourceId as SourceId;
    expect(query.ofCapture(captureIdOf(sourceId, member?.captureKey ?? ''))).toEqual([first]);
    expect(query.members(done.jobId, 999)).toBeUndefined();
    // Every file keeps both copies when the economy is off.
    for (const s of stacks)
      for (const m of s.members)
        for (const f of m.files) expect(await copiesOnDisk(catalog, f.hash)).toBe(2);
    await catalog.close();

    for (const kind of ['burst', 'bracket'] as const) {
      const found = await cli([
        'search',
        `stack:${kind}`,
        '--home',
        b.home,
        '--json',
        '--limit',
        '0',
      ]);
      const captures = found.events.filter((e) => e.event === 'capture');
      const expected = stacks
        .filter((s) => s.kind === kind)
        .reduce((n, s) => n + s.members.length, 0);
      expect(captures).toHaveLength(expected);
    }
    const picks = await cli(['search', 'stack:pick', '--home', b.home, '--json', '--limit', '0']);
    expect(picks.events.filter((e) => e.event === 'capture')).toHaveLength(stacks.length);
  }, 120_000);

  it('under the stack economy keeps every pick on two copies and every other frame on one, and a re-inserted card writes nothing', async () => {
    const b = await stackBox('on');
    // A frame also on a second card.
    const other = join(b.card, '..', 'card-2');
    await fs.mkdir(other);
    const first = await ingest(b);
    expect(first.code).toBe(0);
    const economy = first.events.find((e) => e.event === 'economy') as {
      copies: number;
      bytes: number;
    };
    expect(economy.copies).toBeGreaterThan(0);
    expect(economy.bytes).toBeGreaterThan(0);

    let catalog = await openCatalog(b.home);
    const jobId = (doneOf(first) as { jobId: JobId }).jobId;
    const stacks = new StackQuery(catalog).ofJob(jobId);
    const nonPick = stacks.flatMap((s) => s.members.filter((m) => !m.pick));
    for (const s of stacks)
      for (const m of s.members) {
        expect(m.singleCopy).toBe(!m.pick);
        for (const f of m.files) expect(await copiesOnDisk(catalog, f.hash)).toBe(m.pick ? 2 : 1);
      }
    // Nothing outside a stack lost a copy.
    const stacked = new Set(
      stacks.flatMap((s) => s.members.flatMap((m) => m.files.map((f) => f.hash))),
    );
    for (const { hash } of catalog.allObjects())
      if (!stacked.has(hash)) expect(await copiesOnDisk(catalog, hash)).toBe(2);
    const single = nonPick[0]?.files[0];
    await catalog.close();

    const status = await cli(['status', '--home', b.home, '--json']);
    const job = status.events[0] as {
      safeToFormat: boolean;
      singleCopy: { path: string; on: string }[];
    };
    expect(job.safeToFormat).toBe(true);
    expect(job.singleCopy.map((f) => f.path).sort()).toEqual(
      nonPick.flatMap((m) => m.files.map((f) => f.relPath)).sort(),
    );
    expect(job.singleCopy.every((f) => f.on === 'SSD-A')).toBe(true);
    const text = await cli(['status', '--home', b.home]);
    expect(text.stdout).toContain(
      `Single copy by the stack economy (${job.singleCopy.length} files, the picks keep every copy):`,
    );

    // The same card again, and a second card holding one of its single-copy frames.
    await fs.copyFile(join(b.card, single?.relPath ?? ''), join(other, 'COPY.JPG'));
    const again = await ingest(b);
    expect(again.code).toBe(0);
    expect(doneOf(again)).toMatchObject({
      bytesWritten: 0,
      safeToFormat: true,
    });
    const second = await ingest(b, other);
    expect(second.code).toBe(0);
    catalog = await openCatalog(b.home);
    expect(await copiesOnDisk(catalog, single?.hash as ContentHash)).toBe(1);
    for (const { hash } of catalog.allObjects())
      expect(await copiesOnDisk(catalog, hash)).toBeGreaterThanOrEqual(1);
  }, 180_000);

  it('leaves every copy on a vault it cannot lock, and applies when-low only below the free-space level', async () => {
    const b = await stackBox('off');
    const run = await ingest(b);
    expect(run.code).toBe(0);
    const jobId = (doneOf(run) as { jobId: JobId }).jobId;
    const catalog = await openCatalog(b.home);
    const store = new StacksStore(catalog);
    const records = [...store.stacksOf(jobId)];
    expect(records.length).toBeGreaterThan(0);
    const sourceId = catalog.job(jobId)?.sourceId as SourceId;
    const options = (policy: EconomyPolicy): Parameters<typeof applyEconomy>[3] => ({
      catalog,
      policy,
      vaults: [b.vaultA, b.vaultB],
      clock: systemClock,
    });
    const hashes = records.flatMap((s) => s.frames.flatMap((f) => f.files.map((x) => x.hash)));
    const lock = await (await Vault.open(b.vaultB)).lock();
    try {
      const busy = await applyEconomy(
        jobId,
        sourceId,
        records,
        options({ mode: 'on', below: { percent: 10 }, tiers: ['standard'] }),
      );
      expect(busy.copies).toBe(0);
      expect(busy.skipped).toContain('SSD-B');
    } finally {
      await lock.release();
    }
    const roomy = await applyEconomy(
      jobId,
      sourceId,
      records,
      options({ mode: 'when-low', below: { bytes: 1 }, tiers: ['standard'] }),
    );
    expect(roomy).toEqual({ copies: 0, bytes: 0, skipped: 'every vault has room' });
    const otherTier = await applyEconomy(
      jobId,
      sourceId,
      records,
      options({ mode: 'on', below: { bytes: 1 }, tiers: ['bulk'] }),
    );
    expect(otherTier).toEqual({ copies: 0, bytes: 0 });
    for (const h of hashes) expect(await copiesOnDisk(catalog, h)).toBe(2);

    const low = await applyEconomy(
      jobId,
      sourceId,
      records,
      options({ mode: 'when-low', below: { bytes: Number.MAX_SAFE_INTEGER }, tiers: ['standard'] }),
    );
    const nonPicks = records.reduce(
      (n, s) => n + s.frames.filter((_, i) => i !== s.pick).flatMap((f) => f.files).length,
      0,
    );
    expect(low.copies).toBe(nonPicks);
    for (const s of records)
      for (const [i, f] of s.frames.entries())
        for (const x of f.files)
          expect(await copiesOnDisk(catalog, x.hash)).toBe(i === s.pick ? 2 : 1);
  }, 120_000);

  it('records why when detection fails, and the status says so', async () => {
    const dir = await tempDir();
    const catalog = await openCatalog(join(dir, 'home'));
    const events: StackEvent[] = [];
    const stacker = new BackgroundStacker({
      catalog,
      profile: BUILT_IN_PROFILES.wildlife as SimilarityProfile,
      previews: { preview: () => Promise.resolve(undefined) },
      hints: { read: () => Promise.reject(new Error('exiftool died')) },
      onEvent: (e) => events.push(e),
    });
    const jobId = 'job-x' as JobId;
    const file = join(dir, 'IMG_1.JPG');
    await fs.writeFile(file, 'x');
    stacker.add({
      sourceId: 'src' as SourceId,
      jobId,
      relPath: 'IMG_1.JPG',
      hash: 'a'.repeat(32) as ContentHash,
      tier: 'standard',
      outcome: 'copied',
      copies: [file],
    });
    await stacker.drain();
    expect(events).toEqual([{ event: 'stacks-failed', jobId, reason: 'exiftool died' }]);
    const job = stacker.stacks.job(jobId);
    expect(job).toMatchObject({ state: 'failed', reason: 'exiftool died' });
    expect(
      stacksLine({ state: 'failed', bursts: 0, brackets: 0, frames: 0, reason: 'exiftool died' }),
    ).toBe('Stacks: not found: exiftool died');
    expect(stacksLine({ state: 'pending', bursts: 0, brackets: 0, frames: 0 })).toBe(
      'Stacks: still being looked for (in the background)',
    );
  });
});
