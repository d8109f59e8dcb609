/**
 * npm run bench:ingest — FieldBackup's ingest against a floor measured in the same run.
 *
 * A generated shoot (5–60 MB RAW files plus small JPEGs, ≥ 2 GB; FIELDBACKUP_BENCH_GB to change)
 * is ingested into two fresh vaults, alternating with the floor: one read of the source, two
 * copies written with fsync, both read back with O_DIRECT. Page caches are dropped before each
 * run when the bench runs as root. Medians of the rounds are compared. The RAWs are real CR2
 * structures, so ExifTool reads them as a card's; a third run per round adds the metadata
 * indexer (read from the vault copies, pipelined, drained before the clock stops) to measure
 * what indexing costs.
 */
import * as fs from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateShoot } from '../../fixtures/index.js';
import { initVault } from '../../src/index.js';
import { dropCaches, runWorker } from './measure.js';

interface Run {
  readonly wallMs: number;
  readonly userMs: number;
  readonly systemMs: number;
  readonly maxRssMB: number;
  /** CPU of the run's child processes (ExifTool), ms. */
  readonly childCpuMs: number;
  readonly bytes: number;
}

const GB = Number(process.env.FIELDBACKUP_BENCH_GB ?? 2.2);
const ROUNDS = Number(process.env.FIELDBACKUP_BENCH_ROUNDS ?? 3);
const base = process.env.FIELDBACKUP_BENCH_DIR ?? join(tmpdir(), 'fieldbackup-bench');
const worker = join(fileURLToPath(new URL('.', import.meta.url)), 'ingest-worker.js');

async function shoot(): Promise<string> {
  const card = join(base, `card-${GB}GB-cr2`);
  const marker = join(card, '.complete');
  if (
    await fs.stat(marker).then(
      () => true,
      () => false,
    )
  )
    return card;
  await fs.rm(card, { recursive: true, force: true });
  const captures = Math.ceil((GB * 1e9) / 32.5e6);
  process.stdout.write(`generating a ${GB} GB shoot of ${captures} captures in ${card} …\n`);
  await generateShoot(card, {
    seed: 2026,
    captures,
    rawBytes: [5e6, 60e6],
    jpeg: true,
    structured: true,
  });
  await fs.writeFile(marker, '');
  return card;
}

async function measure(
  mode: 'floor' | 'ingest' | 'ingest-meta' | 'plan',
  card: string,
  round: number,
): Promise<Run> {
  const dir = join(base, `run-${mode}-${round}`);
  await fs.rm(dir, { recursive: true, force: true });
  const [a, b, home] = [join(dir, 'a'), join(dir, 'b'), join(dir, 'home')];
  if (mode !== 'floor') {
    await initVault(a, { label: 'BENCH-A' });
    await initVault(b, { label: 'BENCH-B' });
  }
  dropCaches();
  const run = runWorker<Run>(worker, [mode, card, a, b, home]);
  await fs.rm(dir, { recursive: true, force: true });
  return run;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((x, y) => x - y);
  return s[Math.floor(s.length / 2)] ?? NaN;
};

const card = await shoot();
await fs
  .rm(join(card, '.complete'), { force: true })
  .then(() => fs.writeFile(join(card, '.complete'), ''));
const cachesDropped = dropCaches();
const floors: Run[] = [];
const ingests: Run[] = [];
const indexed: Run[] = [];
for (let round = 0; round < ROUNDS; round++) {
  floors.push(await measure('floor', card, round));
  ingests.push(await measure('ingest', card, round));
  indexed.push(await measure('ingest-meta', card, round));
  const f = floors.at(-1)!;
  const i = ingests.at(-1)!;
  const m = indexed.at(-1)!;
  process.stdout.write(
    `round ${round + 1}: floor ${(f.bytes / f.wallMs / 1e3).toFixed(0)} MB/s, ingest ${(i.bytes / i.wallMs / 1e3).toFixed(0)} MB/s, with metadata ${(m.bytes / m.wallMs / 1e3).toFixed(0)} MB/s\n`,
  );
}

// The tier facts alone (ExifTool -fast2 on every file, cold cache): part of every ingest above.
const plan = await measure('plan', card, 0);
const planShare = plan.wallMs / median(ingests.map((r) => r.wallMs));

const bytes = ingests[0]!.bytes;
const floorMBs = median(floors.map((r) => r.bytes / r.wallMs / 1e3));
const oursMBs = median(ingests.map((r) => r.bytes / r.wallMs / 1e3));
const cpuPerGB = median(ingests.map((r) => (r.userMs + r.systemMs) / 1e3 / (r.bytes / 1e9)));
const floorCpuPerGB = median(floors.map((r) => (r.userMs + r.systemMs) / 1e3 / (r.bytes / 1e9)));
const rss = Math.max(...ingests.map((r) => r.maxRssMB));
const metaWall = median(indexed.map((r) => r.wallMs));
const plainWall = median(ingests.map((r) => r.wallMs));
const metaOverhead = metaWall / plainWall - 1;
const metaRss = Math.max(...indexed.map((r) => r.maxRssMB));
const cpuOf = (r: Run): number => (r.userMs + r.systemMs + r.childCpuMs) / 1e3 / (r.bytes / 1e9);
const plainCpu = median(ingests.map(cpuOf));
const metaCpu = median(indexed.map(cpuOf));
const ratio = oursMBs / floorMBs;
const mbPerMin = oursMBs * 60;
const cardMinutes = 64e9 / (oursMBs * 1e6) / 60;
const verdict = (ok: boolean): string => (ok ? 'ok' : 'MISSED');

console.log(`
bench:ingest — ${(bytes / 1e9).toFixed(2)} GB, ${ROUNDS} rounds, page cache ${cachesDropped ? 'dropped before each run' : 'NOT dropped (not root)'}
  floor (1 read, 2 writes + fsync, 2 O_DIRECT read-backs): ${floorMBs.toFixed(0)} MB/s, ${floorCpuPerGB.toFixed(2)} CPU s/GB
  FieldBackup ingest (xxh128, 2 vaults, verify, LMDB, ASC MHL, ExifTool plan tags): ${oursMBs.toFixed(0)} MB/s, ${cpuPerGB.toFixed(2)} CPU s/GB
  ratio to floor: ${ratio.toFixed(2)}×   (target ≥ 0.85: ${verdict(ratio >= 0.85)})
  tier facts (ExifTool -fast2, ${plan.bytes} files, cold cache): ${(plan.wallMs / 1e3).toFixed(2)} s, ${(plan.wallMs / plan.bytes).toFixed(1)} ms per file, ${(planShare * 100).toFixed(1)} % of the ingest's time
  peak RSS: ${rss.toFixed(0)} MB   (target ≤ 150: ${verdict(rss <= 150)})
  ${mbPerMin.toFixed(0)} MB/min   (brief: > 2048 MB/min: ${verdict(mbPerMin > 2048)})
  64 GB card of 1,000 RAW files: ${cardMinutes.toFixed(1)} min projected   (brief: < 30 min: ${verdict(cardMinutes < 30)})
  metadata indexing (ExifTool full read of every vault copy, catalog, search index), until drained:
    ingest ${(plainWall / 1e3).toFixed(1)} s → with metadata ${(metaWall / 1e3).toFixed(1)} s: overhead ${(metaOverhead * 100).toFixed(1)} % of ingest wall time   (target ≤ 10 %: ${verdict(metaOverhead <= 0.1)}; stretch ≤ 3 %: ${verdict(metaOverhead <= 0.03)})
    CPU with ExifTool's processes: ${plainCpu.toFixed(2)} → ${metaCpu.toFixed(2)} s/GB (+${((metaCpu / plainCpu - 1) * 100).toFixed(0)} %: what the indexing costs, spent while the copies wait for the disks)
    peak RSS with metadata: ${metaRss.toFixed(0)} MB
`);
