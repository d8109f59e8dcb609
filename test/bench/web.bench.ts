/// <reference lib="dom" />
/**
 * npm run bench:web — the box's web page on loopback, in headless Chromium (Debian's chromium).
 *
 * 1. A catalog of 5,000 captures (the synthetic safari season of bench:search), whose files
 *    point at 60 real CR2s with embedded previews on both vaults. The gallery's first screen is
 *    timed from navigation until every thumbnail on the screen has loaded: cold (thumbnails
 *    made on demand) and warm (made in the background before, as the box does after a card).
 * 2. A card is ingested (separate process, like the CLI) alone, then while the thumbnail worker
 *    works through the 5,000 captures at nice 19; rounds alternate, medians are compared.
 */
import * as fs from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { generateShoot, syntheticDocs } from '../../fixtures/index.js';
import {
  Catalog,
  CaptureStore,
  CatalogStatusSource,
  initVault,
  mountedVaults,
  search,
  silentLogger,
  Thumbnails,
  WebServer,
  webConfigSchema,
} from '../../src/index.js';
import { dropCaches, runWorker } from './measure.js';

const CAPTURES = 5000;
const ROUNDS = Number(process.env.FIELDBACKUP_BENCH_ROUNDS ?? 3);
const CARD_MB = Number(process.env.FIELDBACKUP_BENCH_MB ?? 600);
const base = process.env.FIELDBACKUP_BENCH_DIR ?? join(tmpdir(), 'fieldbackup-bench-web');
const worker = join(fileURLToPath(new URL('.', import.meta.url)), 'ingest-worker.js');
const clock = { now: () => new Date(), monotonicMs: () => performance.now() };
const median = (xs: number[]): number =>
  [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

await fs.rm(base, { recursive: true, force: true });
const [vaultA, vaultB, home] = [join(base, 'a'), join(base, 'b'), join(base, 'home')];
await initVault(vaultA, { label: 'BENCH-A' });
await initVault(vaultB, { label: 'BENCH-B' });
const { vaults } = await mountedVaults([vaultA, vaultB]);

// 60 real CR2s (320×213 embedded previews, like a camera's small preview) on both vaults.
const shoot = await generateShoot(join(vaultA, 'Photos', 'bench'), {
  seed: 7,
  captures: 60,
  rawBytes: [60_000, 90_000],
  structured: true,
  folder: '.',
});
await fs.cp(join(vaultA, 'Photos', 'bench'), join(vaultB, 'Photos', 'bench'), { recursive: true });
const raws = shoot.map((f) => join('bench', f.relPath));

const catalog = await Catalog.open(home);
const captures = new CaptureStore(catalog);
const docs = syntheticDocs(2026, 0, CAPTURES);
const now = Date.now();
await catalog.transaction(() => captures.putSync(docs, now));
let n = 0;
for (const doc of docs)
  for (const f of doc.files) {
    const path = raws[n++ % raws.length]!;
    await catalog.commitFile({
      hash: f.hash,
      size: f.size,
      copies: vaults.map((v) => ({ vaultId: v.id, path, verifiedAt: now, modifiedMs: now })),
    });
  }

const server = await WebServer.create({
  config: webConfigSchema.parse({ listen: ['127.0.0.1'], port: 0 }),
  catalog,
  vaults,
  status: new CatalogStatusSource({ catalog, clock }),
  clock,
  logger: silentLogger,
  prefetch: 0,
});
const [url] = await server.listen();

// The API alone: one page of 60 tiles.
const apiMs: number[] = [];
for (let i = 0; i < 20; i++) {
  const t = performance.now();
  const r = await fetch(`${url}api/captures?limit=60`);
  await r.json();
  apiMs.push(performance.now() - t);
}

const browser: Browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox'],
});
async function firstScreen(): Promise<{ ms: number; images: number }> {
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 },
    isMobile: true,
  });
  const page = await context.newPage();
  const t = performance.now();
  await page.goto(`${url}#/gallery`);
  await page.locator('.tile img').first().waitFor();
  const images = await page.waitForFunction(() => {
    const shown = [...document.querySelectorAll<HTMLImageElement>('.tile img')].filter(
      (i) => i.getBoundingClientRect().top < window.innerHeight,
    );
    return shown.length > 0 && shown.every((i) => i.complete) ? shown.length : false;
  });
  const ms = performance.now() - t;
  const count = (await images.jsonValue()) as number;
  await context.close();
  return { ms, images: count };
}
const thumbsDir = (root: string): string => join(root, '.fieldbackup', 'thumbs');
const cold: number[] = [];
const warm: number[] = [];
let onScreen = 0;
for (let i = 0; i < ROUNDS; i++) {
  // The worker finishes what the last page queued (the screens ahead) before the cache goes.
  await server.context.thumbnails.idle();
  await fs.rm(thumbsDir(vaultA), { recursive: true, force: true });
  const c = await firstScreen();
  cold.push(c.ms);
  onScreen = c.images;
  warm.push((await firstScreen()).ms);
}

// Background generation of every thumbnail: its pace, alone.
await server.context.thumbnails.idle();
const all = search(catalog, '', { limit: 0, order: 'desc' }).captures;
await fs.rm(thumbsDir(vaultA), { recursive: true, force: true });
const thumbs = new Thumbnails({ catalog, vaults, logger: silentLogger });
let t = performance.now();
const queued = await thumbs.prefetch(all.slice(0, 500));
await thumbs.idle();
const perThumbMs = (performance.now() - t) / queued;

// An ingest alone and with the thumbnail worker busy, alternating.
const card = join(base, 'card');
await generateShoot(card, {
  seed: 99,
  captures: Math.ceil((CARD_MB * 1e6) / 12.5e6),
  rawBytes: [5e6, 20e6],
  jpeg: true,
  structured: true,
});
async function ingestMs(round: number, label: string): Promise<number> {
  const dir = join(base, `run-${label}-${round}`);
  const [a, b, h] = [join(dir, 'a'), join(dir, 'b'), join(dir, 'home')];
  await initVault(a, { label: 'RUN-A' });
  await initVault(b, { label: 'RUN-B' });
  dropCaches();
  const { wallMs } = runWorker<{ wallMs: number }>(worker, ['ingest', card, a, b, h]);
  await fs.rm(dir, { recursive: true, force: true });
  return wallMs;
}
const alone: number[] = [];
const busy: number[] = [];
let madeDuring = 0;
for (let round = 0; round < ROUNDS; round++) {
  alone.push(await ingestMs(round, 'alone'));
  await fs.rm(thumbsDir(vaultA), { recursive: true, force: true });
  const background = new Thumbnails({ catalog, vaults, logger: silentLogger });
  await background.prefetch(all);
  t = performance.now();
  busy.push(await ingestMs(round, 'busy'));
  const elapsed = performance.now() - t;
  await background.close();
  madeDuring = Math.round(elapsed / perThumbMs);
}
await thumbs.close();
await server.close();
await browser.close();
await catalog.close();

const ratio = median(busy) / median(alone);
const ok = (b: boolean): string => (b ? 'ok' : 'MISSED');
console.log(`
bench:web — ${CAPTURES} captures in the catalog, Chromium ${browser.version()} on loopback, ${ROUNDS} rounds
  gallery API, one page of 60 tiles: ${median(apiMs).toFixed(1)} ms (median of ${apiMs.length})
  first gallery screen (${onScreen} thumbnails on a 390×844 phone screen), thumbnails cached: ${median(warm).toFixed(0)} ms  [≤ 1000 ms: ${ok(median(warm) <= 1000)}]
  first gallery screen, thumbnails made on demand: ${median(cold).toFixed(0)} ms
  background thumbnail generation (nice 19, one at a time): ${perThumbMs.toFixed(1)} ms per thumbnail
  ingest of a ${CARD_MB} MB card: alone ${(median(alone) / 1000).toFixed(2)} s, with thumbnails being made ${(median(busy) / 1000).toFixed(2)} s (≈ ${madeDuring} made meanwhile)
  ratio with/without: ${ratio.toFixed(3)}  [≤ 1.05: ${ok(ratio <= 1.05)}]
`);
