import { createHash } from 'node:crypto';
import * as fs from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { generateShoot } from '../../../fixtures/index.js';
import {
  checkMhlHistory,
  FolderSource,
  ingest,
  readMhlHistory,
  removedPattern,
  search,
  StacksStore,
  Vault,
  type CaptureRecord,
  type IngestEvent,
  type JobId,
  type PickCopiesOutcome,
  type VaultId,
} from '../../../src/index.js';
import { ascmhlMissing, hasPathspec, validateMhlFolder } from '../../helpers/ascmhl-check.js';
import { exists, thin, vaultIdOf } from '../../helpers/economy-box.js';
import { scrubBox } from '../../helpers/box.js';
import { hasCommand, prerequisite } from '../../helpers/prereq.js';
import { pair, recordBurst, WEB_PASSWORD, webBox, type WebBox } from '../../helpers/web-box.js';

interface PickBox {
  readonly box: WebBox;
  readonly ids: { readonly a: VaultId; readonly b: VaultId };
  readonly jobId: JobId;
  /** Generations in SSD-B's history once the economy ran (the last one records its removals). */
  readonly thinnedAt: number;
  /** Captures by number: 1 is the burst's pick, 2–4 its other frames. */
  readonly frame: (n: number) => CaptureRecord;
  /** Flags a capture through the page's own API; the response's body. */
  pick(capture: CaptureRecord): Promise<EditResponse>;
}

interface EditResponse {
  readonly status: number;
  readonly written: string[];
  readonly copies: PickCopiesOutcome;
}

/**
 * A card of four captures (RAW + JPEG) on two vaults, indexed and served by the web page, as
 * one burst under the stack economy: frames 2–4 are left on SSD-A only. `before` runs first
 * (an edit made before the economy).
 */
async function pickBox(
  before?: (b: Omit<PickBox, 'jobId' | 'thinnedAt'>) => Promise<void>,
): Promise<PickBox> {
  const box = await webBox({ captures: 4 });
  onTestFinished(() => box.close());
  const done = await box.ingest();
  const captures = [...search(box.catalog, '', { limit: 0 }).captures].sort((x, y) =>
    x.captureKey < y.captureKey ? -1 : 1,
  );
  const { url } = await box.serve();
  const session = await pair(url, { password: WEB_PASSWORD });
  const partial = {
    box,
    ids: { a: await vaultIdOf(box.vaultA), b: await vaultIdOf(box.vaultB) },
    frame: (n: number) => captures[n - 1]!,
    async pick(capture: CaptureRecord): Promise<EditResponse> {
      const response = await fetch(new URL(`/api/captures/${capture.docId}/edit`, url), {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          cookie: session.cookie,
          'x-csrf-token': session.csrf,
        },
        body: JSON.stringify({ flag: 'pick' }),
      });
      return {
        status: response.status,
        ...((await response.json()) as Omit<EditResponse, 'status'>),
      };
    },
  };
  await before?.(partial);
  await recordBurst(box.catalog, captures);
  const thinned = await thin(box.catalog, done.jobId, [box.vaultA, box.vaultB]);
  expect(thinned.copies).toBeGreaterThan(0);
  const history = await readMhlHistory(join(box.vaultB, 'Photos', 'ascmhl'));
  return { ...partial, jobId: done.jobId, thinnedAt: history.generations.length };
}

const sha = async (path: string): Promise<string> =>
  createHash('sha256')
    .update(await fs.readFile(path))
    .digest('hex');

/** The capture's files as the catalog has them on a vault: path, or undefined when it has none. */
const pathsOn = (b: PickBox, capture: CaptureRecord, vault: VaultId): (string | undefined)[] =>
  capture.files.map((f) => b.box.catalog.object(f.hash)?.copies[vault]?.path);

async function expectOnBothVaults(b: PickBox, capture: CaptureRecord): Promise<void> {
  for (const f of capture.files) {
    const copies = b.box.catalog.object(f.hash)!.copies;
    expect(copies[b.ids.b]).toMatchObject({ verification: 'read-back' });
    const onA = join(b.box.vaultA, 'Photos', copies[b.ids.a]!.path);
    const onB = join(b.box.vaultB, 'Photos', copies[b.ids.b]!.path);
    expect(await sha(onB)).toBe(await sha(onA));
    expect(new StacksStore(b.box.catalog).economyOf(f.hash)).toBeUndefined();
  }
  const history = await readMhlHistory(join(b.box.vaultB, 'Photos', 'ascmhl'));
  for (const path of pathsOn(b, capture, b.ids.b)) {
    // Listed again in a generation after the one that recorded its removal.
    expect(history.files.get(path!)?.sequence).toBeGreaterThan(b.thinnedAt);
    expect(history.ignore).not.toContain(removedPattern(path!));
  }
  const photos = join(b.box.vaultB, 'Photos');
  expect((await checkMhlHistory(photos, join(photos, 'ascmhl'))).problems).toEqual([]);
  if (prerequisite('python3-pathspec', hasPathspec()))
    expect(ascmhlMissing(b.box.vaultB)).toEqual([]);
  if (prerequisite('xmllint', hasCommand('xmllint')))
    await validateMhlFolder(join(photos, 'ascmhl'));
}

describe('a pick on a frame the stack economy left on one SSD', () => {
  it('goes back on the other SSD at once: byte-identical, verified, in its ASC MHL history; the economy never thins a pick', async () => {
    const b = await pickBox(async (early) => {
      // Picked before the economy ran: it keeps both copies.
      expect((await early.pick(early.frame(3))).status).toBe(200);
    });
    expect(pathsOn(b, b.frame(3), b.ids.b).every((p) => p !== undefined)).toBe(true);
    const frame = b.frame(2);
    expect(pathsOn(b, frame, b.ids.b)).toEqual(frame.files.map(() => undefined));

    const response = await b.pick(frame);
    expect(response.status).toBe(200);
    const paths = pathsOn(b, frame, b.ids.a);
    expect(response.copies).toEqual({
      copied: paths.map((path) => ({ vault: 'SSD-B', path })),
      failed: [],
    });
    // The copy came first, so the sidecar is beside both copies.
    expect(response.written.sort()).toEqual(['SSD-A', 'SSD-B']);
    expect(pathsOn(b, frame, b.ids.b)).toEqual(paths);
    await expectOnBothVaults(b, frame);

    const { done } = await scrubBox(b.box, b.box.catalog);
    expect(done).toMatchObject({ repaired: 0, unrepairable: 0, mhlProblems: 0, exitCode: 0 });
    // Running the economy again leaves the picks alone.
    await thin(b.box.catalog, b.jobId, [b.box.vaultA, b.box.vaultB]);
    for (const n of [1, 2, 3])
      expect(pathsOn(b, b.frame(n), b.ids.b).every((p) => p !== undefined)).toBe(true);
    expect(pathsOn(b, b.frame(4), b.ids.b).every((p) => p === undefined)).toBe(true);
  }, 120_000);

  it('two picks made at the same moment both go back at once (the second waits for the first, not for a card)', async () => {
    const b = await pickBox();
    const [second, fourth] = await Promise.all([b.pick(b.frame(2)), b.pick(b.frame(4))]);
    for (const [n, response] of [
      [2, second],
      [4, fourth],
    ] as const) {
      expect(response.status).toBe(200);
      expect(response.copies.waiting).toBeUndefined();
      expect(response.copies.copied).toHaveLength(b.frame(n).files.length);
      await expectOnBothVaults(b, b.frame(n));
    }
  }, 120_000);

  it('with SSD-B unplugged, the pick succeeds and the copy is made when the vaults are next opened (the next card)', async () => {
    const b = await pickBox();
    const frame = b.frame(2);
    await fs.rename(b.box.vaultB, `${b.box.vaultB}.away`);
    const response = await b.pick(frame);
    await fs.rename(`${b.box.vaultB}.away`, b.box.vaultB);
    expect(response.status).toBe(200);
    expect(response.copies.copied).toEqual([]);
    expect(response.copies.waiting).toMatch(
      new RegExp(`^vault ${b.box.vaultB}: .+: copied when the vaults are next opened`),
    );
    expect(response.written).toEqual(['SSD-A']);
    expect(b.box.catalog.file(frame.sourceId, frame.files[0]!.relPath)?.tier).toBe('critical');
    expect(pathsOn(b, frame, b.ids.b)).toEqual(frame.files.map(() => undefined));

    // The next card, with the economy on as the CLI runs it.
    const card = join(b.box.dir, 'card-2');
    await generateShoot(card, {
      seed: 77,
      captures: 1,
      rawBytes: [10_000, 20_000],
      folder: 'DCIM/101CANON',
    });
    const stacks = new StacksStore(b.box.catalog);
    const events: IngestEvent[] = [];
    const done = await ingest({
      source: new FolderSource(card),
      vaults: [b.box.vaultA, b.box.vaultB],
      catalog: b.box.catalog,
      economy: { copiesFor: (hash) => stacks.economyOf(hash)?.copies },
      onEvent: (e) => events.push(e),
    });
    expect(done.exitCode).toBe(0);
    expect(events).toContainEqual({
      event: 'warning',
      code: 'E_RECOVERED',
      message: `vault SSD-B: ${frame.files.length} files of picks were on another vault only and are copied back to it`,
      vault: 'SSD-B',
    });
    await expectOnBothVaults(b, frame);
    // Only the pick: the other thinned frames stay on one copy.
    for (const n of [3, 4])
      expect(pathsOn(b, b.frame(n), b.ids.b).every((p) => p === undefined)).toBe(true);
  }, 120_000);

  it('while a card holds SSD-B the pick waits, and scrub makes the copy', async () => {
    const b = await pickBox();
    const frame = b.frame(4);
    const lock = await (await Vault.open(b.box.vaultB)).lock();
    let response: EditResponse;
    try {
      response = await b.pick(frame);
    } finally {
      await lock.release();
    }
    expect(response.status).toBe(200);
    expect(response.copies.waiting).toContain('vault SSD-B is in use by this process');
    expect(pathsOn(b, frame, b.ids.b)).toEqual(frame.files.map(() => undefined));

    const { done, events } = await scrubBox(b.box, b.box.catalog);
    expect(done).toMatchObject({ unrepairable: 0, mhlProblems: 0, exitCode: 0 });
    expect(done.repaired).toBe(frame.files.length);
    expect(events.filter((e) => e.event === 'repaired')).toEqual(
      pathsOn(b, frame, b.ids.a).map((path) => ({
        event: 'repaired',
        vault: 'SSD-B',
        path,
        from: 'SSD-A',
      })),
    );
    await expectOnBothVaults(b, frame);
  }, 120_000);

  it('names the file and the vault of a copy it cannot make, and still copies the capture’s other files', async () => {
    const b = await pickBox();
    const frame = b.frame(3);
    const raw = frame.files.find((f) => /\.CR2$/i.test(f.relPath))!;
    const jpeg = frame.files.find((f) => /\.JPG$/i.test(f.relPath))!;
    const rawOnA = b.box.catalog.object(raw.hash)!.copies[b.ids.a]!.path;
    // The only copy of the RAW rotted on SSD-A since it was verified.
    const file = join(b.box.vaultA, 'Photos', rawOnA);
    const bytes = await fs.readFile(file);
    bytes[bytes.length - 10] = (bytes[bytes.length - 10] ?? 0) ^ 0xff;
    await fs.writeFile(file, bytes);

    const response = await b.pick(frame);
    expect(response.status).toBe(200);
    expect(response.copies.failed).toEqual([
      {
        vault: 'SSD-B',
        path: rawOnA,
        reason: expect.stringMatching(
          new RegExp(`^${rawOnA} could not be copied to vault SSD-B: .*it changed or rotted`),
        ) as string,
      },
    ]);
    expect(response.copies.copied).toEqual([
      { vault: 'SSD-B', path: b.box.catalog.object(jpeg.hash)!.copies[b.ids.a]!.path },
    ]);
    expect(b.box.catalog.object(raw.hash)!.copies[b.ids.b]).toBeUndefined();
    expect(await exists(join(b.box.vaultB, 'Photos', rawOnA))).toBe(false);
    expect(await fs.readdir(join(b.box.vaultB, '.fieldbackup', 'tmp'))).toEqual([]);
    expect(b.box.catalog.intentsOf(b.ids.b)).toEqual([]);
    expect(b.box.logs.some((l) => l.includes('pick not copied back') && l.includes(rawOnA))).toBe(
      true,
    );
  }, 120_000);
});
