import { join } from 'node:path';
import { generateShoot, type ShootFile, type ShootOptions } from '../../fixtures/index.js';
import { Catalog, initVault, scrub, type ScrubEvent } from '../../src/index.js';
import { tempDir } from './tmp.js';
import { onTestFinished } from 'vitest';

export interface Bench {
  readonly dir: string;
  readonly card: string;
  readonly vaultA: string;
  readonly vaultB: string;
  readonly home: string;
  readonly shoot: ShootFile[];
}

/** A card with a shoot, two fresh vaults and an empty catalog home, in a temp folder. */
export async function setupBox(shoot: Partial<ShootOptions> = {}): Promise<Bench> {
  const dir = await tempDir();
  const card = join(dir, 'card');
  const vaultA = join(dir, 'ssd-a');
  const vaultB = join(dir, 'ssd-b');
  await initVault(vaultA, { label: 'SSD-A' });
  await initVault(vaultB, { label: 'SSD-B' });
  const files = await generateShoot(card, {
    seed: 1,
    captures: 4,
    rawBytes: [50_000, 300_000],
    jpeg: true,
    ...shoot,
  });
  return { dir, card, vaultA, vaultB, home: join(dir, 'home'), shoot: files };
}

export async function openCatalog(home: string): Promise<Catalog> {
  const catalog = await Catalog.open(home);
  onTestFinished(() => catalog.close());
  return catalog;
}

/** Scrubs both vaults of a box: the done event, and every event on the way. */
export async function scrubBox(
  box: { readonly vaultA: string; readonly vaultB: string },
  catalog: Catalog,
): Promise<{ done: Extract<ScrubEvent, { event: 'done' }>; events: ScrubEvent[] }> {
  const events: ScrubEvent[] = [];
  const done = await scrub({
    vaults: [box.vaultA, box.vaultB],
    catalog,
    onEvent: (e) => events.push(e),
  });
  return { done, events };
}
