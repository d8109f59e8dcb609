/// <reference lib="dom" />
import { createHash } from 'node:crypto';
import * as fs from 'node:fs/promises';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaptureEditStore, CaptureStore, search, type CaptureRecord } from '../../src/index.js';
import { hasCommand, prerequisite } from '../helpers/prereq.js';
import { slowSource, webBox, type WebBox } from '../helpers/web-box.js';

const CHROMIUM = '/usr/bin/chromium';
const available = prerequisite('chromium (Debian package chromium)', hasCommand('chromium'));
/** `WEB_SCREENSHOTS=docs npx vitest run test/system/web-browser.test.ts` refreshes the README's. */
const shotsDir = process.env.WEB_SCREENSHOTS;

const sha = async (path: string): Promise<string> =>
  createHash('sha256')
    .update(await fs.readFile(path))
    .digest('hex');

let box: WebBox;
let browser: Browser;

beforeAll(async () => {
  if (!available) return;
  box = await webBox({ captures: 12, rawBytes: [150_000, 300_000] });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await box?.close();
});

async function shoot(page: Page, name: string): Promise<void> {
  // Every visible picture loaded first, so the screenshot shows what a phone shows.
  await page.waitForFunction(() => [...document.images].every((i) => i.complete));
  if (shotsDir !== undefined) await page.screenshot({ path: join(shotsDir, `web-${name}.png`) });
}

describe.runIf(available)('the page in a real browser', () => {
  it('shows a card until it is safe to format, opens a stack and marks a pick into both vaults', async () => {
    const { url, pairing } = await box.serve();
    const page = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    await page.goto(url);
    await page.getByText('No card yet').waitFor();

    // A card goes in: a slow one, so the page has time to show it copying.
    const ingest = box.ingest((source) => slowSource(source, 120));
    await page.locator('.job.running').waitFor({ timeout: 30_000 });
    expect(await page.getByRole('progressbar').count()).toBe(1);
    await page.locator('[data-verdict="safe"]').waitFor({ timeout: 60_000 });
    const done = await ingest;
    expect(done.safeToFormat).toBe(true);
    await expect(page.getByRole('heading', { level: 2 }).first().textContent()).resolves.toMatch(/Card/);
    await shoot(page, 'status');

    // Bursts as similarity groups them (issue 5's stack facet): frames 5–8 are one burst.
    const store = new CaptureStore(box.catalog);
    const captures = search(box.catalog, '', { limit: 0 }).captures;
    const burst = captures.filter((c) => /img_000[5-8]$/i.test(c.captureKey));
    expect(burst).toHaveLength(4);
    for (const c of burst) await store.setFacet(c.captureId, 'stack', ['burst', 'stack:burst-1'], Date.now());

    await page.getByRole('link', { name: 'Photos' }).click();
    await page.getByText('12 photos').waitFor();
    const stackTile = page.getByRole('link', { name: /burst of 4/ });
    await expect(stackTile.count()).resolves.toBe(1);
    expect(await page.locator('.tile').count()).toBe(9);
    await shoot(page, 'gallery');

    await stackTile.click();
    await page.getByText('4 photos in this stack').waitFor();
    await shoot(page, 'stack');
    const frame = page.getByRole('link', { name: /IMG_0006\.CR2/ });
    await frame.click();
    await page.getByRole('heading', { name: 'IMG_0006.CR2' }).waitFor();
    await expect(page.getByText('Canon EOS R5').count()).resolves.toBeGreaterThan(0);

    // Changes need the code on the box's screen.
    await page.getByLabel('Code on the box’s screen').fill(pairing.code().code);
    await page.getByRole('button', { name: 'Pair' }).click();
    const pick = page.getByRole('button', { name: 'Pick' });
    await pick.waitFor();
    const capture = burst.find((c) => /img_0006$/i.test(c.captureKey))!;
    const before = await copiesOf(capture);
    const cardBefore = await sha(join(box.card, 'DCIM/100CANON/IMG_0006.CR2'));
    // By keyboard, as a screen-reader user would.
    await pick.focus();
    await page.keyboard.press('Enter');
    await page.locator('button.pick[aria-pressed="true"]').waitFor();
    await page.getByRole('button', { name: '5 stars' }).click();
    await page.locator('button[data-rating="5"][aria-pressed="true"]').waitFor();
    await shoot(page, 'detail');

    const edit = new CaptureEditStore(box.catalog).get(capture.captureId)!;
    const sidecars = Object.values(edit.sidecars);
    expect(sidecars).toHaveLength(2);
    for (const root of [box.vaultA, box.vaultB]) {
      const xmp = await fs.readFile(join(root, 'Photos', sidecars[0]!), 'utf8');
      expect(xmp).toContain('xmpDM:good="True"');
      expect(xmp).toContain('xmp:Rating="5"');
    }
    for (const f of capture.files) expect(box.catalog.file(capture.sourceId, f.relPath)?.tier).toBe('critical');
    expect(await copiesOf(capture)).toEqual(before);
    expect(await sha(join(box.card, 'DCIM/100CANON/IMG_0006.CR2'))).toBe(cardBefore);
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
    for (const copy of Object.values(box.catalog.object(f.hash)!.copies))
      for (const root of [box.vaultA, box.vaultB]) {
        const path = join(root, 'Photos', copy.path);
        out.push(`${path} ${await sha(path).catch(() => 'absent')}`);
      }
  return out.sort();
}
