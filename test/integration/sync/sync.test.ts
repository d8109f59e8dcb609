import * as fs from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { generateShoot } from '../../../fixtures/index.js';
import { hashBytes } from '../../../src/platform/index.js';
import { isFieldBackupError } from '../../../src/core/index.js';
import { makeBox, nasArchive, nasPhotos, type TestBox } from '../../helpers/sync-boxes.js';
import { photosOf } from '../../helpers/tree.js';
import { tempDir } from '../../helpers/tmp.js';

async function boxWithCard(
  dir: string,
  name = 'studio',
  seed = 1,
): Promise<{ box: TestBox; card: string }> {
  const box = await makeBox(dir, name);
  onTestFinished(() => box.close());
  const card = join(dir, `card-${name}`);
  await generateShoot(card, { seed, captures: 5, rawBytes: [40_000, 200_000], jpeg: true });
  expect((await box.ingest(card)).exitCode).toBe(0);
  return { box, card };
}

describe('sync to a NAS vault on a mounted share', () => {
  it('sends every file, verified, at the paths the SSDs have; a second run sends nothing', async () => {
    const dir = await tempDir();
    const { box } = await boxWithCard(dir);
    const nas = join(dir, 'nas');
    await fs.mkdir(nas);

    const first = await box.sync(nas);
    expect(first.done).toMatchObject({
      files: 10,
      sent: 10,
      present: 0,
      failed: 0,
      exitCode: 0,
      generation: 1,
      interrupted: false,
    });
    const ssd = await photosOf(box.vaults[0]!);
    expect(first.done.bytesSent).toBe(
      [...(await nasPhotos(nas)).values()].reduce((n, f) => n + f.size, 0),
    );
    // Same layout, same bytes: the NAS is browsable like the SSDs.
    expect(await photosOf(nas)).toEqual(ssd);
    for (const rel of ssd.keys()) {
      const [a, b] = await Promise.all([
        fs.stat(join(box.vaults[0]!, 'Photos', rel)),
        fs.stat(join(nas, 'Photos', rel)),
      ]);
      expect(b.mtimeMs).toBe(a.mtimeMs);
    }
    expect(
      JSON.parse(await fs.readFile(join(nas, 'fieldbackup-vault.json'), 'utf8')),
    ).toMatchObject({ format: 'fieldbackup-vault', label: 'NAS' });
    expect(await fs.readdir(join(nas, '.fieldbackup', 'tmp'))).toEqual([]);
    expect(first.events[0]).toMatchObject({ event: 'start', files: 10, toSend: 10, boxes: 0 });
    expect(first.events.filter((e) => e.event === 'file')).toHaveLength(10);

    const archive = await nasArchive(nas);
    expect(archive.size).toBe(10);
    expect(archive.boxes.map((b) => [b.name, b.files.size])).toEqual([['studio', 10]]);

    const again = await box.sync(nas);
    expect(again.done).toMatchObject({
      sent: 0,
      bytesSent: 0,
      present: 10,
      generation: null,
      exitCode: 0,
    });
    expect(
      (await fs.readdir(join(nas, '.fieldbackup', 'manifests', archive.boxes[0]!.id))).sort(),
    ).toEqual(['000001.json']);
  });

  it('sends the critical tier first', async () => {
    const dir = await tempDir();
    const box = await makeBox(dir, 'tiers');
    onTestFinished(() => box.close());
    const card = join(dir, 'card');
    await generateShoot(card, { seed: 4, captures: 6, rawBytes: [10_000, 20_000] });
    await box.ingest(card, {
      tierRule: (c) =>
        c.entries.some((e) => /000[46]/.test(e.relPath))
          ? 'critical'
          : c.entries.some((e) => /0005/.test(e.relPath))
            ? 'bulk'
            : 'standard',
    });
    const nas = join(dir, 'nas');
    await fs.mkdir(nas);
    const { events } = await box.sync(nas, { concurrency: 1 });
    const order = events.flatMap((e) =>
      e.event === 'file' ? [`${e.tier}:${e.path.slice(-12)}`] : [],
    );
    expect(order).toEqual([
      'critical:IMG_0004.CR2',
      'critical:IMG_0006.CR2',
      'standard:IMG_0001.CR2',
      'standard:IMG_0002.CR2',
      'standard:IMG_0003.CR2',
      'bulk:IMG_0005.CR2',
    ]);
  });

  it('refuses a folder that is not a vault without --init, and a missing one', async () => {
    const dir = await tempDir();
    const { box } = await boxWithCard(dir);
    await fs.mkdir(join(dir, 'empty'));
    const notVault = await box.sync(join(dir, 'empty'), { init: false }).catch((e: unknown) => e);
    expect(isFieldBackupError(notVault, 'E_NOT_A_VAULT')).toBe(true);
    expect(String((notVault as Error).message)).toContain('--init');
    const missing = await box.sync(join(dir, 'not-mounted')).catch((e: unknown) => e);
    expect(isFieldBackupError(missing, 'E_VAULT_MISSING')).toBe(true);
    expect(await fs.readdir(join(dir, 'empty'))).toEqual([]);
  });

  it('a paused sync resumes where it stopped: the file in flight is redone, nothing else', async () => {
    const dir = await tempDir();
    const { box } = await boxWithCard(dir);
    const nas = join(dir, 'nas');
    await fs.mkdir(nas);
    const pause = new AbortController();
    let seen = 0;
    const first = await box.sync(nas, {
      concurrency: 1,
      signal: pause.signal,
      onEvent: (e) => {
        if (e.event === 'file' && ++seen === 3) pause.abort();
      },
    });
    expect(first.done).toMatchObject({ sent: 3, interrupted: true, exitCode: 1 });
    expect(first.done.generation).toBe(1);
    expect(await fs.readdir(join(nas, '.fieldbackup', 'tmp'))).toEqual([]);
    const second = await box.sync(nas);
    expect(second.done).toMatchObject({ sent: 7, present: 3, exitCode: 0, interrupted: false });
    expect(first.done.bytesSent + second.done.bytesSent).toBe(
      [...(await nasPhotos(nas)).values()].reduce((n, f) => n + f.size, 0),
    );
    expect(await photosOf(nas)).toEqual(await photosOf(box.vaults[0]!));
  });

  it("after a power cut: removes the dead run's temporaries and adopts what it had placed, sending 0 bytes for it", async () => {
    const dir = await tempDir();
    const { box } = await boxWithCard(dir);
    const nas = join(dir, 'nas');
    await fs.mkdir(nas);
    await box.sync(nas, { signal: AbortSignal.abort() });
    const boxId = (await box.catalog.sync.box('x')).id;
    // What a run killed mid-way leaves: a half temporary, and a file renamed into place but not recorded.
    await fs.writeFile(join(nas, '.fieldbackup', 'tmp', `${boxId}-999-1-obj.part`), 'half');
    const ssd = await photosOf(box.vaults[0]!);
    const [placed] = [...ssd.keys()];
    await fs.mkdir(join(nas, 'Photos', placed!, '..'), { recursive: true });
    await fs.copyFile(join(box.vaults[0]!, 'Photos', placed!), join(nas, 'Photos', placed!));
    const size = (await fs.stat(join(nas, 'Photos', placed!))).size;

    const { done, events } = await box.sync(nas);
    expect(done).toMatchObject({ sent: 9, adopted: 1, exitCode: 0 });
    expect(done.bytesSent).toBe(
      [...(await nasPhotos(nas)).values()].reduce((n, f) => n + f.size, 0) - size,
    );
    expect(events.find((e) => e.event === 'file' && e.outcome === 'adopted')).toMatchObject({
      path: placed,
    });
    expect(events.some((e) => e.event === 'warning' && e.code === 'E_RECOVERED')).toBe(true);
    expect(await fs.readdir(join(nas, '.fieldbackup', 'tmp'))).toEqual([]);
  });

  it('a path taken by other content gets a new name; nothing is overwritten', async () => {
    const dir = await tempDir();
    const { box } = await boxWithCard(dir);
    const nas = join(dir, 'nas');
    await fs.mkdir(nas);
    const ssd = await photosOf(box.vaults[0]!);
    const raw = [...ssd.keys()].find((p) => p.endsWith('IMG_0002.CR2'))!;
    await box.sync(nas, { signal: AbortSignal.abort() });
    await fs.mkdir(join(nas, 'Photos', raw, '..'), { recursive: true });
    await fs.writeFile(join(nas, 'Photos', raw), 'someone else put this here');
    const { done } = await box.sync(nas);
    expect(done).toMatchObject({ sent: 10, exitCode: 0 });
    expect(await fs.readFile(join(nas, 'Photos', raw), 'utf8')).toBe('someone else put this here');
    const moved = raw.replace('IMG_0002.CR2', 'IMG_0002_2.CR2');
    expect(hashBytes(await fs.readFile(join(nas, 'Photos', moved)))).toBe(
      hashBytes(await fs.readFile(join(box.vaults[0]!, 'Photos', raw))),
    );
    expect(
      (await nasArchive(nas)).object(hashBytes(await fs.readFile(join(nas, 'Photos', moved))))
        ?.path,
    ).toBe(moved);
  });
});
