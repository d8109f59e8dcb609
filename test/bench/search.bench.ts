/**
 * npm run bench:search — query latency on synthetic catalogs of 100,000 and 1,000,000 captures
 * (FIELDBACKUP_BENCH_SEARCH_SIZES=100000,1000000 to change). Each catalog is built once through
 * the capture store's own indexing (batches of 10,000, as an ingest commits them) and kept in
 * $FIELDBACKUP_BENCH_DIR for the next run. Each query is timed end to end: parse, evaluate,
 * count, order by capture time, load the first 100 captures. p50/p95 of 50 runs after warm-up.
 */
import * as fs from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { syntheticDocs } from '../../fixtures/index.js';
import { Catalog, CaptureStore, searchCaptures } from '../../src/index.js';

const SIZES = (process.env.FIELDBACKUP_BENCH_SEARCH_SIZES ?? '100000,1000000')
  .split(',')
  .map(Number);
const RUNS = Number(process.env.FIELDBACKUP_BENCH_RUNS ?? 50);
const base = process.env.FIELDBACKUP_BENCH_DIR ?? join(tmpdir(), 'fieldbackup-bench');
const BATCH = 10_000;

const QUERIES = [
  'rating>=4',
  'label:red',
  'keyword:eagle',
  'camera:"NIKON Z 9"',
  'lens:600mm',
  'date:2024-01-20..2024-01-23',
  'near:-1.29,36.82,25km',
  'tier:critical',
  'stack:burst',
  'format:NEF',
  'eagle',
  '"lion at dawn"',
  'rating>=4 AND (label:red OR keyword:lion) NOT format:MP4',
  'camera:R5 iso>=3200 shutter<=1/1000 date:2024-02',
  '',
];

async function build(size: number): Promise<string> {
  const dir = join(base, `search-${size}`);
  if (
    await fs.stat(join(dir, '.complete')).then(
      () => true,
      () => false,
    )
  )
    return dir;
  await fs.rm(dir, { recursive: true, force: true });
  const catalog = await Catalog.open(dir);
  const store = new CaptureStore(catalog);
  const started = performance.now();
  for (let from = 0; from < size; from += BATCH) {
    await store.put(syntheticDocs(2026, from, Math.min(BATCH, size - from)), Date.now());
    if ((from / BATCH) % 10 === 9)
      process.stdout.write(
        `  ${from + BATCH} captures indexed (${((performance.now() - started) / 1e3).toFixed(0)} s)\n`,
      );
  }
  await catalog.close();
  await fs.writeFile(join(dir, '.complete'), '');
  process.stdout.write(
    `built ${size} captures in ${((performance.now() - started) / 1e3).toFixed(0)} s\n`,
  );
  return dir;
}

const percentile = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};

const results: string[] = [];
for (const size of SIZES) {
  process.stdout.write(`catalog of ${size.toLocaleString('en')} captures …\n`);
  const dir = await build(size);
  const catalog = await Catalog.open(dir);
  const store = new CaptureStore(catalog);
  const limit = size >= 1_000_000 ? 200 : 20;
  const rows: string[] = [];
  let worst = 0;
  for (const query of QUERIES) {
    const times: number[] = [];
    let total = 0;
    for (let run = 0; run < RUNS + 5; run++) {
      const t0 = performance.now();
      const r = searchCaptures(store, query, { limit: 100 });
      const ms = performance.now() - t0;
      total = r.total;
      if (run >= 5) times.push(ms);
    }
    const p95 = percentile(times, 95);
    worst = Math.max(worst, p95);
    rows.push(
      `  ${JSON.stringify(query).padEnd(62)} ${String(total).padStart(9)} hits   p50 ${percentile(times, 50).toFixed(1).padStart(6)} ms   p95 ${p95.toFixed(1).padStart(6)} ms`,
    );
  }
  const bytes = (
    await fs.stat(join(dir, 'data.mdb')).catch(() => fs.stat(join(dir, 'catalog', 'data.mdb')))
  ).size;
  await catalog.close();
  results.push(
    `${size.toLocaleString('en')} captures (catalog ${(bytes / 1e6).toFixed(0)} MB), ${RUNS} runs per query, first 100 results loaded:`,
    ...rows,
    `  worst p95 ${worst.toFixed(1)} ms   (target ≤ ${limit} ms: ${worst <= limit ? 'ok' : 'MISSED'}; brief's limit 2 s: ${worst <= 2000 ? 'ok' : 'MISSED'})`,
    '',
  );
}
console.log(`\nbench:search\n${results.join('\n')}`);
