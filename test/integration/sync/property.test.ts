/**
 * Random interleavings of what happens to a photographer's boxes (a box and a laptop): each
 * ingests its copy of overlapping cards, sidecars are edited on both, syncs are cut at random
 * points (the network drops after any NAS operation, or the sync is paused), and synced again.
 * After every step: every object on the NAS is there once and matches the manifests, every
 * file a box synced is still there, no file was ever changed in place or lost, and where a
 * sidecar has versions the newest is the current file.
 * SYNC_PROPERTY_RUNS sets the number of runs (CI 100; `npm run soak:sync` 1,000).
 */
import * as fs from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateShoot } from '../../../fixtures/index.js';
import type { ContentHash } from '../../../src/core/index.js';
import { createExifTool, ExifToolPlanTagReader } from '../../../src/index.js';
import { hashBytes } from '../../../src/platform/index.js';
import { conflictBase, isNewer, LocalRemote } from '../../../src/sync/index.js';
import { FaultyRemote } from '../../helpers/faulty-remote.js';
import { makeBox, nasArchive, writeSidecar, type TestBox } from '../../helpers/sync-boxes.js';

const RUNS = Number(process.env.SYNC_PROPERTY_RUNS ?? 100);
const CAPTURES = [1, 2, 3, 4] as const;
const CARD = 'EOS_R5_07';

/** Where a sync is cut: the network drops after that many NAS operations, or it is paused after that many files. */
type Cut = { readonly network: number } | { readonly pause: number } | null;
type Step =
  | { readonly kind: 'ingest'; readonly box: 0 | 1 }
  | { readonly kind: 'edit'; readonly box: 0 | 1; readonly capture: number }
  | { readonly kind: 'sync'; readonly box: 0 | 1; readonly cut: Cut };
interface Card {
  readonly captures: number[];
  readonly otherBody: number[];
}
interface Scenario {
  readonly cards: [Card, Card];
  readonly steps: Step[];
}

const boxArb = fc.constantFrom<0 | 1>(0, 1);
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('ingest' as const), box: boxArb }),
  fc.record({
    kind: fc.constant('edit' as const),
    box: boxArb,
    capture: fc.constantFrom(...CAPTURES),
  }),
  fc.record({
    kind: fc.constant('sync' as const),
    box: boxArb,
    cut: fc.oneof(
      fc.constant(null),
      fc.record({ network: fc.integer({ min: 0, max: 120 }) }),
      fc.record({ pause: fc.integer({ min: 0, max: 6 }) }),
    ),
  }),
);
/** Which captures each box's card holds, and whether its shot is the common one or another body's with the same name. */
const cardArb: fc.Arbitrary<Card> = fc.record({
  captures: fc.subarray([...CAPTURES], { minLength: 1 }),
  otherBody: fc.subarray([...CAPTURES]),
});
const scenarioArb: fc.Arbitrary<Scenario> = fc.record({
  cards: fc.tuple(cardArb, cardArb),
  steps: fc.array(stepArb, { minLength: 2, maxLength: 10 }),
});

let library: string;
const exiftool = createExifTool();
const tags = new ExifToolPlanTagReader(exiftool);

beforeAll(async () => {
  library = await fs.mkdtemp(join(tmpdir(), 'fb-shots-'));
  for (const n of CAPTURES) {
    for (const body of ['common', 'other'] as const) {
      await generateShoot(join(library, `${n}-${body}`), {
        seed: n * 10 + (body === 'other' ? 1 : 0),
        captures: 1,
        firstNumber: n,
        rawBytes: [3_000, 9_000],
        jpeg: true,
        start: new Date(Date.UTC(2026, 10, 20, 6, n, body === 'other' ? 30 : 0)),
      });
    }
  }
});
afterAll(async () => {
  await exiftool.end();
  await fs.rm(library, { recursive: true, force: true });
});

interface Ledger {
  /** Every inode ever seen on the NAS and its content: a file's bytes never change in place. */
  readonly inodes: Map<number, ContentHash>;
  /** Every content ever seen on the NAS: none may disappear. */
  readonly seen: Set<ContentHash>;
  /** Per box, the contents it had when its last sync finished: all must stay on the NAS. */
  readonly synced: [Set<ContentHash>, Set<ContentHash>];
}

async function runScenario(scenario: Scenario): Promise<void> {
  const dir = await fs.mkdtemp(join(tmpdir(), 'fb-prop-'));
  const boxes: TestBox[] = [];
  try {
    const nas = join(dir, 'nas');
    await fs.mkdir(nas);
    const cards: string[] = [];
    for (const [i, spec] of scenario.cards.entries()) {
      boxes.push(await makeBox(dir, i === 0 ? 'box' : 'laptop'));
      const card = join(dir, `card-${i}`, CARD);
      for (const n of spec.captures) {
        const body = spec.otherBody.includes(n) ? 'other' : 'common';
        await fs.cp(join(library, `${n}-${body}`), card, {
          recursive: true,
          preserveTimestamps: true,
        });
        await writeSidecar(sidecar(card, n), 'as shot', new Date(Date.UTC(2026, 10, 20, 8)));
      }
      cards.push(card);
    }
    const ledger: Ledger = { inodes: new Map(), seen: new Set(), synced: [new Set(), new Set()] };
    let edits = 0;
    for (const step of scenario.steps) {
      const box = boxes[step.box]!;
      const card = cards[step.box]!;
      if (step.kind === 'ingest') {
        await box.ingest(card, { tags });
      } else if (step.kind === 'edit') {
        if (scenario.cards[step.box].captures.includes(step.capture)) {
          edits++;
          await writeSidecar(
            sidecar(card, step.capture),
            `${box.name} edit ${edits}`,
            new Date(Date.UTC(2026, 10, 21, 8, edits)),
          );
        }
      } else {
        await sync(box, nas, step.cut, ledger, step.box);
      }
      await checkInvariants(nas, boxes, ledger);
    }
    // Settle: everything ingested and synced without cuts; then the strong invariants.
    for (const [i, box] of boxes.entries()) await box.ingest(cards[i]!, { tags });
    for (const [i, box] of [...boxes.entries(), [0, boxes[0]!] as const])
      await sync(box, nas, null, ledger, i as 0 | 1);
    await checkInvariants(nas, boxes, ledger);
    await checkSettled(nas, boxes);
  } finally {
    for (const b of boxes) await b.close();
    await fs.rm(dir, { recursive: true, force: true });
  }
}

function sidecar(card: string, n: number): string {
  return join(card, 'DCIM/100CANON', `IMG_${String(n).padStart(4, '0')}.xmp`);
}

async function sync(
  box: TestBox,
  nas: string,
  cut: Cut,
  ledger: Ledger,
  index: 0 | 1,
): Promise<void> {
  const remote = new FaultyRemote(
    new LocalRemote(nas),
    cut !== null && 'network' in cut ? { failAfter: cut.network } : {},
  );
  const pause = new AbortController();
  let files = 0;
  const result = await box
    .sync(nas, {
      remote,
      signal: pause.signal,
      onEvent: (e) => {
        if (cut !== null && 'pause' in cut && e.event === 'file' && ++files > cut.pause)
          pause.abort();
      },
    })
    .catch((err: unknown) => {
      // A drop before the run started (opening, locking, reading manifests) is a failed start, not a bug.
      if (cut === null) throw err;
      return undefined;
    });
  if (cut === null)
    expect(
      result?.done.exitCode,
      JSON.stringify(result?.events.filter((e) => e.event === 'error')),
    ).toBe(0);
  if (result?.done.exitCode === 0) {
    ledger.synced[index] = new Set(
      [...box.catalog.allObjects()]
        .filter((o) => Object.keys(o.record.copies).length > 0)
        .map((o) => o.hash),
    );
  }
}

async function nasFiles(
  nas: string,
): Promise<{ path: string; hash: ContentHash; ino: number; mtimeMs: number }[]> {
  const photos = join(nas, 'Photos');
  const out: { path: string; hash: ContentHash; ino: number; mtimeMs: number }[] = [];
  for (const d of await fs.readdir(photos, { recursive: true, withFileTypes: true })) {
    if (!d.isFile()) continue;
    const abs = join(d.parentPath, d.name);
    const st = await fs.stat(abs);
    out.push({
      path: relative(photos, abs),
      hash: hashBytes(await fs.readFile(abs)),
      ino: st.ino,
      mtimeMs: st.mtimeMs,
    });
  }
  return out;
}

async function checkInvariants(
  nas: string,
  boxes: readonly TestBox[],
  ledger: Ledger,
): Promise<void> {
  if ((await fs.stat(join(nas, 'fieldbackup-vault.json')).catch(() => undefined)) === undefined) {
    // A sync cut while it made the folder a vault: no marker, and nothing sent yet.
    expect(await fs.readdir(join(nas, 'Photos')).catch(() => [])).toEqual([]);
    return;
  }
  const files = await nasFiles(nas);
  const byHash = new Map<ContentHash, string>();
  for (const f of files) {
    // Every object once.
    expect(byHash.has(f.hash), `${f.hash} at ${byHash.get(f.hash)} and ${f.path}`).toBe(false);
    byHash.set(f.hash, f.path);
    // Never changed in place.
    const before = ledger.inodes.get(f.ino);
    if (before !== undefined) expect(f.hash, `${f.path} changed in place`).toBe(before);
    ledger.inodes.set(f.ino, f.hash);
    ledger.seen.add(f.hash);
  }
  // Never lost.
  for (const h of ledger.seen) expect(byHash.has(h), `${h} was on the NAS and is gone`).toBe(true);
  // Everything a box synced is still there.
  for (const [i, set] of ledger.synced.entries())
    for (const h of set)
      expect(byHash.has(h), `${boxes[i]!.name}'s ${h} is not on the NAS`).toBe(true);
  // The manifests say where things are, and those files hold that content (verified).
  const archive = await nasArchive(nas);
  for (const o of archive.allObjects()) {
    const at = byHash.get(o.hash);
    // A move declared by a box that stopped before making it is finished by the next sync.
    const pending = archive.moves.some(
      (m) => m.hash === o.hash && m.to === o.path && at === m.from,
    );
    if (!pending) expect(at, `manifest puts ${o.hash} at ${o.path}`).toBe(o.path);
  }
  // Where a sidecar has versions, the current one is the newest.
  const current = new Map(files.map((f) => [f.path, f]));
  for (const f of files) {
    const base = conflictBase(f.path);
    const cur = base === undefined ? undefined : current.get(base);
    if (cur !== undefined)
      expect(isNewer(cur, f), `${base} is older than the version kept as ${f.path}`).toBe(true);
  }
}

async function checkSettled(nas: string, boxes: readonly TestBox[]): Promise<void> {
  const archive = await nasArchive(nas);
  const files = await nasFiles(nas);
  // Nothing on the NAS that no manifest lists, and every box's files listed in its own manifest.
  expect(files.map((f) => f.hash).sort()).toEqual(
    [...archive.allObjects()].map((o) => o.hash).sort(),
  );
  for (const box of boxes) {
    const id = (await box.catalog.sync.box('x')).id;
    for (const o of box.catalog.allObjects()) {
      const refs = [...box.catalog.referencesOf(o.hash)].filter(
        (r) => box.catalog.file(r.sourceId, r.relPath)?.hash === o.hash,
      );
      expect(archive.listed(id, o.hash), `${box.name} does not list ${o.hash}`).toBe(true);
      for (const r of refs) expect(archive.listed(id, o.hash, r)).toBe(true);
    }
    const again = await box.sync(nas);
    expect(again.done).toMatchObject({ sent: 0, bytesSent: 0, exitCode: 0, generation: null });
  }
}

describe('sync property: random interleavings of two boxes, edits and cut syncs', () => {
  it(`holds the invariants over ${RUNS} runs`, { timeout: RUNS * 5_000 }, async () => {
    await fc.assert(fc.asyncProperty(scenarioArb, runScenario), {
      numRuns: RUNS,
      endOnFailure: true,
    });
  });
});
