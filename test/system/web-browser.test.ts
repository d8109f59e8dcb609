/// <reference lib="dom" />
import { createHash } from 'node:crypto';
import * as fs from 'node:fs/promises';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tmpdir } from 'node:os';
import { generateShoot } from '../../fixtures/index.js';
import { simulatedMedium } from '../../hardware-mocks/drives/vault-medium.js';
import { SimulatedBox } from '../../hardware-mocks/simulator/box.js';
import { serveBoxPage } from '../../src/cli/commands/web.js';
import {
  CaptureEditStore,
  Catalog,
  PairingCodes,
  parseConfig,
  search,
  silentLogger,
  StacksStore,
  type CaptureRecord,
} from '../../src/index.js';
import { hasCommand, prerequisite } from '../helpers/prereq.js';
import { until } from '../helpers/until.js';
import { recordBurst } from '../helpers/web-box.js';

const CHROMIUM = '/usr/bin/chromium';
const clock = { now: () => new Date(), monotonicMs: () => performance.now() };
const available = prerequisite('chromium (Debian package chromium)', hasCommand('chromium'));
/** `WEB_SCREENSHOTS=docs npx vitest run test/system/web-browser.test.ts` refreshes the README's. */
const shotsDir = process.env.WEB_SCREENSHOTS;

const sha = async (path: string): Promise<string> =>
  createHash('sha256')
    .update(await fs.readFile(path))
    .digest('hex');

const CARD = 'EOS_DIGITAL';
let dir: string;
let sim: SimulatedBox;
let catalog: Catalog;
let served: { urls: string[]; close(): Promise<void> };
let url: string;
let pairing: PairingCodes;
let browser: Browser;
const vaultA = (): string => join(dir, 'ssd-a');
const vaultB = (): string => join(dir, 'ssd-b');

beforeAll(async () => {
  if (!available) return;
  dir = await fs.mkdtemp(join(tmpdir(), 'fb-web-sim-'));
  // The simulated box: real drivers on simulated GPIO, SPI e-paper, I2C gauge and USB drives.
  // SSDs that write at 25 MB/s: the copy lasts seconds, so the page has time to show it.
  // The test reads and writes the box's catalog beside it, as the daemon's page does: one
  // catalog (LMDB environment) for both.
  catalog = await Catalog.open(join(dir, 'home'));
  sim = await SimulatedBox.start({
    dir,
    catalog,
    vaultIo: simulatedMedium({ bytesPerSecond: 25e6 }),
  });
  await sim.plugSsd('SSD-A');
  await sim.plugSsd('SSD-B');
  await sim.waitFor('both SSDs', (s) => s.vaults.filter((v) => v.present).length === 2);
  await generateShoot(join(dir, CARD), { seed: 7, captures: 12, rawBytes: [3e6, 6e6], jpeg: true });
  pairing = new PairingCodes(clock);
  // The page as the daemon serves it (web.enabled): status from the appliance's own model.
  const config = parseConfig(
    `version: 1\nvaults: [${JSON.stringify(vaultA())}, ${JSON.stringify(vaultB())}]\nweb:\n  enabled: true\n  listen: [127.0.0.1]\n  port: 0\n`,
    join(dir, 'fieldbackup.yaml'),
  );
  served = await serveBoxPage({
    box: sim.box,
    config,
    catalog,
    logger: silentLogger,
    pairing,
  });
  url = served.urls[0]!;
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await served?.close();
  await sim?.stop();
  await catalog?.close();
  if (dir !== undefined) await fs.rm(dir, { recursive: true, force: true });
});

async function shoot(page: Page, name: string): Promise<void> {
  // Every visible picture loaded first, so the screenshot shows what a phone shows.
  await page.waitForFunction(() => [...document.images].every((i) => i.complete));
  if (shotsDir !== undefined) await page.screenshot({ path: join(shotsDir, `web-${name}.png`) });
}

describe.runIf(available)('the page in a real browser', () => {
  it('shows a card until it is safe to format, opens a stack and marks a pick into both vaults', async () => {
    const page = await browser.newPage({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
    });
    await page.goto(url);
    await page.getByText('No card yet').waitFor();

    // Every state the card's panel goes through, as the page draws it.
    await page.evaluate(() => {
      const seen: string[] = [];
      Object.assign(window, { seen });
      new MutationObserver(() => {
        const job = document.querySelector('.job');
        const state =
          job === null
            ? 'none'
            : `${job.className}|${job.querySelector('progress')?.getAttribute('value') ?? ''}`;
        if (seen.at(-1) !== state) seen.push(state);
      }).observe(document.getElementById('main')!, { childList: true, subtree: true });
    });
    sim.drives.insertCard(join(dir, CARD), { label: CARD });
    await page.locator('[data-verdict="safe"]').waitFor({ timeout: 120_000 });
    const seen = await page.evaluate(() => (window as unknown as { seen: string[] }).seen);
    // Copying first (with progress short of 100 %), then safe.
    expect(seen.some((s) => s.startsWith('job running|') && Number(s.split('|')[1]) < 100)).toBe(
      true,
    );
    expect(seen.at(-1)).toMatch(/^job safe\|100$/);
    expect(sim.status().card.job?.safeToFormat).toBe(true);
    await expect(page.getByRole('heading', { level: 2 }).first().textContent()).resolves.toMatch(
      /Card/,
    );
    await shoot(page, 'status');

    // Frames 5–8 are one burst, recorded as issue 5's stacker records one, once the box's own
    // stacker has looked at the card (these generated frames are not look-alikes: it finds none).
    await indexed(12);
    const jobId = sim.status().card.job!.jobId;
    await until(
      () => new StacksStore(catalog).job(jobId)?.state === 'done',
      'the box to look for stacks',
    );
    expect(new StacksStore(catalog).job(jobId)).toMatchObject({ analysed: 12, bursts: 0 });
    const burst = search(catalog, '', { limit: 0 }).captures.filter((c) =>
      /img_000[5-8]$/i.test(c.captureKey),
    );
    expect(burst).toHaveLength(4);
    await recordBurst(catalog, burst);

    await page.getByRole('link', { name: 'Photos' }).click();
    await page.getByText('12 photos').waitFor();
    const stackTile = page.getByRole('link', { name: /burst of 4/ });
    await expect(stackTile.count()).resolves.toBe(1);
    expect(await page.locator('.tile').count()).toBe(9);
    await shoot(page, 'gallery');

    await stackTile.click();
    await page.getByText('4 photos in this stack').waitFor();
    await shoot(page, 'stack');
    const frame = page.getByRole('link', { name: /IMG_0006\.JPG/ });
    await frame.click();
    await page.getByRole('heading', { name: 'IMG_0006.JPG' }).waitFor();
    await expect(page.getByText('Canon EOS R5').count()).resolves.toBeGreaterThan(0);

    // Changes need the code on the box's screen.
    await page.getByLabel('Code on the box’s screen').fill(pairing.code().code);
    await page.getByRole('button', { name: 'Pair' }).click();
    const pick = page.getByRole('button', { name: 'Pick' });
    await pick.waitFor();
    const capture = burst.find((c) => /img_0006$/i.test(c.captureKey))!;
    const before = await copiesOf(capture);
    const onCard = (): Promise<string[]> =>
      Promise.all(capture.files.map((f) => sha(join(dir, CARD, f.relPath))));
    const cardBefore = await onCard();
    // By keyboard, as a screen-reader user would.
    await pick.focus();
    await page.keyboard.press('Enter');
    await page.locator('button.pick[aria-pressed="true"]').waitFor();
    await page.getByRole('button', { name: '5 stars' }).click();
    await page.locator('button[data-rating="5"][aria-pressed="true"]').waitFor();
    await shoot(page, 'detail');

    const edit = new CaptureEditStore(catalog).get(capture.captureId)!;
    const sidecars = Object.values(edit.sidecars);
    expect(sidecars).toHaveLength(2);
    for (const root of [vaultA(), vaultB()]) {
      const xmp = await fs.readFile(join(root, 'Photos', sidecars[0]!), 'utf8');
      expect(xmp).toContain('xmpDM:good="True"');
      expect(xmp).toContain('xmp:Rating="5"');
    }
    for (const f of capture.files)
      expect(catalog.file(capture.sourceId, f.relPath)?.tier).toBe('critical');
    expect(await copiesOf(capture)).toEqual(before);
    expect(await onCard()).toEqual(cardBefore);
    // And the gallery shows it picked.
    await page.goto(`${url}#/gallery?q=flag:pick`);
    await page.getByText('1 photo', { exact: true }).waitFor();
    await page.close();
  }, 150_000);
});

/** sha256 of every vault copy of a capture's files. */
async function copiesOf(capture: CaptureRecord): Promise<string[]> {
  const out: string[] = [];
  for (const f of capture.files)
    for (const copy of Object.values(catalog.object(f.hash)!.copies))
      for (const root of [vaultA(), vaultB()]) {
        const path = join(root, 'Photos', copy.path);
        out.push(`${path} ${await sha(path).catch(() => 'absent')}`);
      }
  return out.sort();
}

/** Waits (bounded) until the appliance's metadata indexer has put `n` captures in the catalog. */
async function indexed(n: number): Promise<void> {
  for (let i = 0; i < 300 && search(catalog, '', { limit: 0 }).total < n; i++)
    await new Promise((done) => setTimeout(done, 100));
  expect(search(catalog, '', { limit: 0 }).total).toBe(n);
}
