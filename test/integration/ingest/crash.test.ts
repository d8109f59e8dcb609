import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as fs from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateShoot, prng } from '../../../fixtures/index.js';
import {
  Catalog,
  FolderSource,
  hashBytes,
  ingest,
  initVault,
  type VaultId,
} from '../../../src/index.js';
import { forEachConcurrent } from '../../../src/platform/index.js';
import { tempDir } from '../../helpers/tmp.js';

const POINTS = Number(process.env.CRASH_POINTS ?? 200);
const CLI = join(process.cwd(), 'dist', 'src', 'cli', 'main.js');

interface KillPlan {
  /** Kill once this many JSON lines were printed (0: kill on a timer from spawn). */
  readonly afterLines: number;
  readonly jitterMs: number;
}

/** Runs the real CLI and kill -9s it at the planned moment (or lets it finish if it is faster). */
function runAndKill(args: string[], plan: KillPlan): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'ignore'] });
    let lines = 0;
    const kill = (): void => {
      setTimeout(() => child.kill('SIGKILL'), plan.jitterMs);
    };
    if (plan.afterLines === 0) kill();
    child.stdout.on('data', (chunk: Buffer) => {
      const before = lines;
      lines += chunk.toString().split('\n').length - 1;
      if (before < plan.afterLines && lines >= plan.afterLines) kill();
    });
    child.on('exit', (_code, signal) => resolve(signal === 'SIGKILL'));
  });
}

describe('crash safety', () => {
  it(`after kill -9 at ${POINTS} seeded points and a rerun, every file is verified on both vaults exactly once`, async () => {
    expect(existsSync(CLI), `${CLI} is built by "npm test" (npm run build)`).toBe(true);
    const dir = await tempDir('fb-crash-');
    const card = join(dir, 'card');
    await generateShoot(card, {
      seed: 11,
      captures: 8,
      rawBytes: [200_000, 3_000_000],
      jpeg: true,
    });
    const expected = new Map<string, string>();
    for (const rel of await fs.readdir(join(card, 'DCIM', '100CANON'))) {
      expected.set(
        `DCIM/100CANON/${rel}`,
        hashBytes(await fs.readFile(join(card, 'DCIM', '100CANON', rel))),
      );
    }
    const random = prng(20261125);
    const plans: KillPlan[] = Array.from({ length: POINTS }, () => ({
      afterLines: random() < 0.2 ? 0 : 1 + Math.floor(random() * (expected.size + 2)),
      jitterMs: Math.floor(random() * (random() < 0.2 ? 600 : 25)),
    }));
    const twice = plans.map(() => random() < 0.3);

    const failures: string[] = [];
    let killed = 0;
    const recovered = { runs: 0, adopted: 0, temporaries: 0 };
    await forEachConcurrent(plans.keys(), 2, async (i) => {
      const run = join(dir, `run-${i}`);
      const [a, b, home] = [join(run, 'a'), join(run, 'b'), join(run, 'home')];
      await initVault(a, { label: 'A' });
      await initVault(b, { label: 'B' });
      const args = ['ingest', card, '--vault', a, '--vault', b, '--home', home, '--json'];
      if (await runAndKill(args, plans[i]!)) killed++;
      if (twice[i]) await runAndKill(args, { afterLines: 1 + (i % 5), jitterMs: i % 7 });

      const catalog = await Catalog.open(home);
      try {
        const done = await ingest({
          source: new FolderSource(card),
          vaults: [a, b],
          catalog,
          onEvent: (e) => {
            if (e.event !== 'warning' || e.code !== 'E_RECOVERED') return;
            recovered.runs++;
            const [, adopted, , temps] =
              /(\d+) copies adopted, (\d+) moved to quarantine, (\d+) temporaries/.exec(
                e.message,
              ) ?? [];
            recovered.adopted += Number(adopted ?? 0);
            recovered.temporaries += Number(temps ?? 0);
          },
        });
        const problems = await invariants(catalog, [a, b], expected);
        if (done.exitCode !== 0) problems.push(`rerun exit code ${done.exitCode}`);
        if (problems.length > 0)
          failures.push(`kill point ${i} ${JSON.stringify(plans[i])}: ${problems.join('; ')}`);
      } finally {
        await catalog.close();
        await fs.rm(run, { recursive: true, force: true });
      }
    });
    console.log(
      `crash points: ${POINTS}, killed mid-run: ${killed}, recoveries: ${JSON.stringify(recovered)}`,
    );
    expect(failures).toEqual([]);
    // Most kills must land while the ingest runs, or the test would prove little.
    expect(killed).toBeGreaterThanOrEqual(POINTS * 0.7);
  }, 1_800_000);
});

/** The ingest invariants of docs/invariants.md, checked against the disk. */
async function invariants(
  catalog: Catalog,
  vaults: string[],
  expected: Map<string, string>,
): Promise<string[]> {
  const problems: string[] = [];
  const ids: VaultId[] = [];
  for (const v of vaults) {
    ids.push(
      (JSON.parse(await fs.readFile(join(v, 'fieldbackup-vault.json'), 'utf8')) as { id: VaultId })
        .id,
    );
    const temps = await fs.readdir(join(v, '.fieldbackup', 'tmp'));
    if (temps.length > 0) problems.push(`${v}: temporaries left: ${temps.join(',')}`);
  }
  for (const [rel, hash] of expected) {
    const object = catalog.object(hash as never);
    for (const [i, id] of ids.entries()) {
      const copy = object?.copies[id];
      if (copy === undefined) {
        problems.push(`${rel} has no copy on ${vaults[i]}`);
        continue;
      }
      const bytes = await fs.readFile(join(vaults[i]!, 'Photos', copy.path)).catch(() => undefined);
      if (bytes === undefined || hashBytes(bytes) !== hash)
        problems.push(`${rel}: recorded copy ${copy.path} on ${vaults[i]} is missing or wrong`);
    }
  }
  for (const [i, v] of vaults.entries()) {
    const files = (
      await fs.readdir(join(v, 'Photos'), { recursive: true, withFileTypes: true })
    ).filter((d) => d.isFile() && !d.parentPath.includes('ascmhl'));
    if (files.length !== expected.size)
      problems.push(`${v} holds ${files.length} files, expected ${expected.size} (copied twice?)`);
    if (catalog.intentsOf(ids[i]!).length > 0) problems.push(`${v}: intents left`);
    if (catalog.pendingMhl(ids[i]!).length > 0)
      problems.push(`${v}: copies not listed in any ASC MHL generation`);
  }
  return problems;
}
