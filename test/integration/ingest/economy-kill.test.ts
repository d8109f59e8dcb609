import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as fs from 'node:fs/promises';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { prng } from '../../../fixtures/index.js';
import {
  Catalog,
  checkMhlHistory,
  FolderSource,
  hashBytes,
  ingest,
  IngestSession,
  ReclaimStore,
  StacksStore,
  type ContentHash,
  type JobId,
  type VaultId,
} from '../../../src/index.js';
import { ascmhlMissing, hasPathspec } from '../../helpers/ascmhl-check.js';
import { setupBox } from '../../helpers/box.js';
import { recordJobAsBurst, thin, vaultIdOf } from '../../helpers/economy-box.js';
import { prerequisite } from '../../helpers/prereq.js';

const POINTS = Number(process.env.ECONOMY_KILL_POINTS ?? 8);
const INDEX = join(process.cwd(), 'dist', 'src', 'index.js');

/** The stack economy in a process of its own (the built code), printing "ready" before it starts. */
const CHILD = `
import { applyEconomy, Catalog, StacksStore, systemClock } from ${JSON.stringify(INDEX)};
const [home, jobId, a, b] = process.argv.slice(1);
const catalog = await Catalog.open(home);
const stacks = new StacksStore(catalog);
process.stdout.write('ready\\n');
await applyEconomy(jobId, catalog.job(jobId).sourceId, [...stacks.stacksOf(jobId)], {
  catalog,
  policy: { mode: 'on', below: { percent: 10 }, tiers: ['standard', 'bulk'] },
  vaults: [a, b],
  clock: systemClock,
});
await catalog.close();
`;

/** Runs the economy and kill -9s it `afterMs` after it is ready (undefined: let it finish). Resolves with the ms it ran. */
function runEconomy(
  args: string[],
  afterMs: number | undefined,
): Promise<{ ms: number; killed: boolean }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', CHILD, ...args], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let readyAt = 0;
    child.stdout.once('data', () => {
      readyAt = performance.now();
      if (afterMs !== undefined) setTimeout(() => child.kill('SIGKILL'), afterMs);
    });
    child.on('exit', (_code, signal) =>
      resolve({ ms: performance.now() - readyAt, killed: signal === 'SIGKILL' }),
    );
  });
}

/** What must hold on the vaults after a kill and the next open, checked against the disk. */
async function invariants(catalog: Catalog, vaults: readonly string[]): Promise<string[]> {
  const problems: string[] = [];
  const ids = await Promise.all(vaults.map(vaultIdOf));
  const reclaim = new ReclaimStore(catalog);
  for (const [i, root] of vaults.entries()) {
    const id = ids[i] as VaultId;
    const photos = join(root, 'Photos');
    for (const p of (await checkMhlHistory(photos, join(photos, 'ascmhl'))).problems)
      problems.push(`${root}: history: ${JSON.stringify(p)}`);
    if (prerequisite('python3-pathspec', hasPathspec()))
      for (const p of ascmhlMissing(root)) problems.push(`${root}: ascmhl calls ${p} missing`);
    if (catalog.pendingMhl(id).length > 0) problems.push(`${root}: MHL records still owed`);
    if (reclaim.pendingOn(id).length > 0) problems.push(`${root}: reclaims unfinished`);
    // Every file in Photos/ is one the catalog knows: no released copy left behind.
    for (const f of await fs.readdir(photos, { recursive: true, withFileTypes: true })) {
      if (!f.isFile()) continue;
      const rel = relative(photos, join(f.parentPath, f.name));
      if (rel.startsWith('ascmhl')) continue;
      if (catalog.pathOwner(id, rel) === undefined) problems.push(`${root}: ${rel} unknown`);
    }
  }
  // Every copy the catalog records is on its vault, byte for byte; every content keeps one.
  for (const { hash, record } of catalog.allObjects()) {
    if (Object.keys(record.copies).length === 0) problems.push(`${hash} has no copy`);
    for (const [vault, copy] of Object.entries(record.copies)) {
      const root = vaults[ids.indexOf(vault as VaultId)] as string;
      const bytes = await fs.readFile(join(root, 'Photos', copy.path)).catch(() => undefined);
      if (bytes === undefined || hashBytes(bytes) !== hash)
        problems.push(`${root}: ${copy.path} missing or wrong`);
    }
  }
  return problems;
}

describe('the stack economy under kill -9', () => {
  it(`after a kill at ${POINTS} seeded points and the next vault open, no copy is dangling, none is left behind, and both histories hold`, async () => {
    expect(existsSync(INDEX), `${INDEX} is built by "npm test" (npm run build)`).toBe(true);
    const box = await setupBox({ captures: 12, rawBytes: [20_000, 40_000] });
    const template = { a: box.vaultA, b: box.vaultB, home: box.home };
    let jobId: JobId;
    let picks: ContentHash[];
    {
      const catalog = await Catalog.open(box.home);
      const done = await ingest({
        source: new FolderSource(box.card),
        vaults: [box.vaultA, box.vaultB],
        catalog,
      });
      jobId = done.jobId;
      const [burst] = await recordJobAsBurst(catalog, jobId);
      picks = burst!.frames[0]!.files.map((f) => f.hash);
      await catalog.close();
    }
    const copyOf = async (i: number): Promise<typeof template> => {
      const run = join(box.dir, `run-${i}`);
      const out = { a: join(run, 'a'), b: join(run, 'b'), home: join(run, 'home') };
      for (const k of ['a', 'b', 'home'] as const)
        await fs.cp(template[k], out[k], { recursive: true });
      return out;
    };
    const args = (r: typeof template): string[] => [r.home, jobId, r.a, r.b];

    // A run to the end sets the scale of the kill points.
    const whole = await runEconomy(args(await copyOf(-1)), undefined);
    const random = prng(20260307);
    const failures: string[] = [];
    let killed = 0;
    for (let i = 0; i < POINTS; i++) {
      const run = await copyOf(i);
      if ((await runEconomy(args(run), random() * whole.ms)).killed) killed++;
      const catalog = await Catalog.open(run.home);
      try {
        // The next open of the vaults (any ingest, the box's next card) finishes the work.
        const session = await IngestSession.open({ vaults: [run.a, run.b], catalog });
        await session.close();
        const problems = await invariants(catalog, [run.a, run.b]);
        // And the economy, run again, completes: every non-pick on one copy, the picks on two.
        await thin(catalog, jobId, [run.a, run.b]);
        problems.push(...(await invariants(catalog, [run.a, run.b])));
        const stacks = new StacksStore(catalog);
        for (const { hash, record } of catalog.allObjects()) {
          const want = picks.includes(hash) ? 2 : 1;
          if (Object.keys(record.copies).length !== want)
            problems.push(`${hash}: ${Object.keys(record.copies).length} copies, not ${want}`);
          if (want === 1 && stacks.economyOf(hash)?.copies !== 1)
            problems.push(`${hash}: not recorded as kept on one copy`);
        }
        if (problems.length > 0) failures.push(`kill point ${i}: ${problems.join('; ')}`);
      } finally {
        await catalog.close();
      }
    }
    console.log(
      `economy kill points: ${POINTS}, killed mid-run: ${killed}, whole run ${Math.round(whole.ms)} ms`,
    );
    expect(failures).toEqual([]);
    expect(killed).toBeGreaterThanOrEqual(POINTS * 0.6);
  }, 300_000);
});
