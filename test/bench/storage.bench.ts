/**
 * npm run bench:storage — bytes stored with the stack economy against straight copies, on a
 * burst-heavy shoot cut from real photographs (half DNG with 2 MB of sensor data), through
 * the real CLI: card A is ingested, card B (another shoot, plus one file of card A copied onto
 * it) is ingested, then card A is inserted again. Straight copies: every insertion copied in
 * full to both SSDs. Baseline measured in the same run: the same three ingests with the
 * economy off (deduplication only). Checks that every unique frame has at least one verified
 * copy on disk and every stack's pick has two.
 */
import * as fs from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensurePhotoSet, generateSimilarSet } from '../../fixtures/index.js';
import { Catalog, StacksStore, type ContentHash } from '../../src/index.js';
import { cli } from '../helpers/cli.js';

const base = process.env.FIELDBACKUP_BENCH_DIR ?? join(tmpdir(), 'fieldbackup-bench');
const SEED = Number(process.env.FIELDBACKUP_BENCH_SEED ?? 11);

async function treeBytes(dir: string): Promise<number> {
  let n = 0;
  for (const e of await fs.readdir(dir, { recursive: true, withFileTypes: true }))
    if (e.isFile()) n += (await fs.stat(join(e.parentPath, e.name))).size;
  return n;
}

async function makeCards(root: string): Promise<{ a: string; b: string }> {
  const photos = await ensurePhotoSet('tuning', join(base, 'photos'));
  const a = join(root, 'card-a');
  const b = join(root, 'card-b');
  await generateSimilarSet(join(a, 'DCIM', '100CANON'), {
    seed: SEED,
    photos: photos.slice(0, 14),
  });
  await generateSimilarSet(join(b, 'DCIM', '100CANON'), {
    seed: SEED + 1,
    photos: photos.slice(14),
  });
  // One file on two cards: the photographer copied a frame across.
  const first = (await fs.readdir(join(a, 'DCIM', '100CANON'))).sort()[0] as string;
  await fs.copyFile(join(a, 'DCIM', '100CANON', first), join(b, 'DCIM', '100CANON', `X${first}`));
  return { a, b };
}

async function run(
  root: string,
  cards: { a: string; b: string },
  economy: 'on' | 'off',
): Promise<{ stored: number; straight: number; seconds: number; checks: string }> {
  const box = join(root, `box-${economy}`);
  await fs.rm(box, { recursive: true, force: true });
  const [va, vb, home] = ['ssd-a', 'ssd-b', 'home'].map((d) => join(box, d)) as [
    string,
    string,
    string,
  ];
  for (const [dir, label] of [
    [va, 'SSD-A'],
    [vb, 'SSD-B'],
  ] as const) {
    await fs.mkdir(dir, { recursive: true });
    await cli(['vault', 'init', dir, '--label', label]);
  }
  await fs.mkdir(home, { recursive: true });
  await fs.writeFile(join(home, 'config.yaml'), `version: 1\nsimilarity:\n  economy: ${economy}\n`);
  let straight = 0;
  const t0 = performance.now();
  for (const card of [cards.a, cards.b, cards.a]) {
    const r = await cli(['ingest', card, '--vault', va, '--vault', vb, '--home', home]);
    if (r.code !== 0) throw new Error(`ingest ${card} failed (${r.code}): ${r.stderr}`);
    straight += 2 * (await treeBytes(card));
  }
  const seconds = (performance.now() - t0) / 1000;
  const stored = (await treeBytes(join(va, 'Photos'))) + (await treeBytes(join(vb, 'Photos')));
  return { stored, straight, seconds, checks: await check(home) };
}

/** Every content on ≥ 1 copy that exists on disk; every pick's files on 2. */
async function check(home: string): Promise<string> {
  const catalog = await Catalog.open(home);
  try {
    const roots = new Map([...catalog.allVaults()].map((v) => [v.id as string, v.lastRoot]));
    const onDisk = async (hash: ContentHash): Promise<number> => {
      let n = 0;
      for (const [vault, copy] of Object.entries(catalog.object(hash)?.copies ?? {})) {
        const path = join(roots.get(vault) ?? '/nonexistent', 'Photos', copy.path);
        if (
          await fs.stat(path).then(
            () => true,
            () => false,
          )
        )
          n++;
      }
      return n;
    };
    let objects = 0;
    let lost = 0;
    for (const { hash } of catalog.allObjects()) {
      objects++;
      if ((await onDisk(hash)) < 1) lost++;
    }
    const stacks = new StacksStore(catalog);
    const picks = new Set<ContentHash>();
    for (const job of catalog.allJobs())
      for (const s of stacks.stacksOf(job.id))
        for (const f of s.frames[s.pick]?.files ?? []) picks.add(f.hash);
    let thinPicks = 0;
    for (const h of picks) if ((await onDisk(h)) < 2) thinPicks++;
    return `${objects} unique files, ${lost} without a copy; ${picks.size} pick files, ${thinPicks} with fewer than 2 copies`;
  } finally {
    await catalog.close();
  }
}

const root = join(base, `storage-${SEED}`);
await fs.rm(root, { recursive: true, force: true });
await fs.mkdir(root, { recursive: true });
const cards = await makeCards(root);
const off = await run(root, cards, 'off');
const on = await run(root, cards, 'on');
const mb = (n: number): string => `${(n / 1e6).toFixed(1)} MB`;
const pct = (x: number): string => `${(x * 100).toFixed(1)} %`;
process.stdout.write(
  [
    `3 insertions (card A, card B with one file of A, card A again): straight copies ${mb(on.straight)}`,
    `  economy off (dedup only): ${mb(off.stored)} stored, ${pct(1 - off.stored / off.straight)} less than straight copies, ${off.seconds.toFixed(1)} s`,
    `  economy on:               ${mb(on.stored)} stored, ${pct(1 - on.stored / on.straight)} less than straight copies (${pct(1 - on.stored / off.stored)} less than economy off), ${on.seconds.toFixed(1)} s`,
    `  ${on.checks}`,
    '',
  ].join('\n'),
);
