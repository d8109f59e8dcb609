import * as fs from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { generateShoot } from '../../../fixtures/index.js';
import { isFieldBackupError } from '../../../src/core/index.js';
import { LocalRemote, NAS_LOCK } from '../../../src/sync/index.js';
import { FaultyRemote } from '../../helpers/faulty-remote.js';
import { makeBox, nasPhotos, type TestBox } from '../../helpers/sync-boxes.js';
import { photosOf } from '../../helpers/tree.js';
import { tempDir } from '../../helpers/tmp.js';

async function setup(): Promise<{ box: TestBox; nas: string; dir: string }> {
  const dir = await tempDir();
  const box = await makeBox(dir, 'studio');
  onTestFinished(() => box.close());
  const card = join(dir, 'card');
  await generateShoot(card, { seed: 5, captures: 3, rawBytes: [20_000, 50_000] });
  await box.ingest(card);
  const nas = join(dir, 'nas');
  await fs.mkdir(nas);
  await box.sync(nas, { signal: AbortSignal.abort() });
  return { box, nas, dir };
}

describe('sync faults', () => {
  it('a copy that reads back wrong on the NAS is kept aside and sent again', async () => {
    const { box, nas } = await setup();
    let corrupted = 0;
    const remote = new FaultyRemote(new LocalRemote(nas), {
      corruptHash: (p) => p.endsWith('IMG_0002.CR2') && corrupted++ === 0,
    });
    const { done, events } = await box.sync(nas, { remote });
    expect(done).toMatchObject({ sent: 3, failed: 0, exitCode: 0 });
    expect(
      events.find((e) => e.event === 'warning' && e.code === 'E_VERIFY_MISMATCH'),
    ).toBeDefined();
    const kept = await fs.readdir(join(nas, '.fieldbackup', 'quarantine'), { recursive: true });
    expect(kept.some((p) => p.endsWith('IMG_0002.CR2'))).toBe(true);
    expect(await photosOf(nas)).toEqual(await photosOf(box.vaults[0]!));
  });

  it('gives up on an object that reads back wrong three times, and goes on with the rest', async () => {
    const { box, nas } = await setup();
    const remote = new FaultyRemote(new LocalRemote(nas), {
      corruptHash: (p) => p.endsWith('IMG_0001.CR2'),
    });
    const { done, events } = await box.sync(nas, { remote });
    expect(done).toMatchObject({ sent: 2, failed: 1, exitCode: 1, interrupted: false });
    expect(events.find((e) => e.event === 'error')).toMatchObject({ code: 'E_VERIFY_MISMATCH' });
    expect((await box.sync(nas)).done).toMatchObject({ sent: 1, exitCode: 0 });
  });

  it('a damaged SSD copy is skipped for the good one on the other SSD; with none good the object fails', async () => {
    const { box, nas } = await setup();
    const ssd = await photosOf(box.vaults[0]!);
    const raw = [...ssd.keys()].find((p) => p.endsWith('IMG_0003.CR2'))!;
    const damage = async (vault: string): Promise<void> => {
      const handle = await fs.open(join(vault, 'Photos', raw), 'r+');
      await handle.write(Buffer.from('rot'), 0, 3, 100);
      await handle.close();
    };
    await damage(box.vaults[0]!);
    const first = await box.sync(nas, { vaults: box.vaults });
    expect(first.done).toMatchObject({ sent: 3, exitCode: 0 });
    expect(first.events.find((e) => e.event === 'warning')).toMatchObject({
      code: 'E_VERIFY_MISMATCH',
      vault: 'studio-A',
    });
    expect((await nasPhotos(nas)).get(raw)?.hash).toBe(
      (await import('../../../src/platform/index.js')).hashBytes(
        await fs.readFile(join(box.vaults[1]!, 'Photos', raw)),
      ),
    );

    const other = await setup();
    const raw2 = [...(await photosOf(other.box.vaults[0]!)).keys()].find((p) =>
      p.endsWith('IMG_0001.CR2'),
    )!;
    for (const v of other.box.vaults) await fs.rm(join(v, 'Photos', raw2));
    const second = await other.box.sync(other.nas);
    expect(second.done).toMatchObject({ sent: 2, failed: 1, exitCode: 1 });
    expect(second.events.find((e) => e.event === 'error')).toMatchObject({
      code: 'E_COPY_MISSING',
    });
  });

  it('a full NAS stops the sync with a clear error and loses nothing; it resumes when there is room', async () => {
    const { box, nas } = await setup();
    let full = true;
    let sent = 0;
    const remote = new FaultyRemote(new LocalRemote(nas), {
      fail: (op) => (full && op === 'write' && ++sent > 2 ? 'ENOSPC' : undefined),
    });
    const { done, events } = await box.sync(nas, { remote, concurrency: 1 });
    expect(done).toMatchObject({ interrupted: true, exitCode: 1 });
    expect(events.find((e) => e.event === 'error')).toMatchObject({ code: 'E_NO_SPACE' });
    expect(await fs.readdir(join(nas, '.fieldbackup', 'tmp'))).toEqual([]);
    full = false;
    const again = await box.sync(nas, { remote });
    expect(again.done).toMatchObject({ exitCode: 0 });
    expect(done.sent + again.done.sent).toBe(3);
    expect(await photosOf(nas)).toEqual(await photosOf(box.vaults[0]!));
  });

  it('a NAS that turned read-only stops the sync', async () => {
    const { box, nas } = await setup();
    const remote = new FaultyRemote(new LocalRemote(nas), {
      fail: (op) => (op === 'create' ? 'EROFS' : undefined),
    });
    await expect(box.sync(nas, { remote })).rejects.toMatchObject({ code: 'E_VAULT_READ_ONLY' });
    const later = new FaultyRemote(new LocalRemote(nas), {
      fail: (op, p) => (op === 'create' && p.endsWith('obj.part') ? 'EACCES' : undefined),
    });
    const { done, events } = await box.sync(nas, { remote: later });
    expect(done).toMatchObject({ sent: 0, interrupted: true, exitCode: 1 });
    const stop = events.find((e) => e.event === 'error');
    expect(stop).toMatchObject({ code: 'E_VAULT_READ_ONLY' });
    expect(stop?.event === 'error' && stop.message).toMatch(/sync stopped/);
  });

  it("another box syncing holds the NAS; a dead one's lock is taken over", async () => {
    const { box, nas } = await setup();
    const holder = {
      box: { id: 'other-box', name: 'laptop' },
      host: 'laptop.local',
      pid: 4242,
      since: '2026-11-21T10:00:00.000Z',
    };
    await fs.writeFile(join(nas, NAS_LOCK), `${JSON.stringify(holder)}\n`);
    const busy = await box.sync(nas).catch((e: unknown) => e);
    expect(isFieldBackupError(busy, 'E_VAULT_LOCKED')).toBe(true);
    expect((busy as Error).message).toContain('laptop');
    expect((busy as { retryable: boolean }).retryable).toBe(true);
    // No heartbeat for ten minutes (by the NAS's clock): the laptop died mid-sync.
    const old = new Date(Date.now() - 10 * 60_000);
    await fs.utimes(join(nas, NAS_LOCK), old, old);
    expect((await box.sync(nas)).done).toMatchObject({ sent: 3, exitCode: 0 });
    await expect(fs.stat(join(nas, NAS_LOCK))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('a manifest that is not one is reported by name and left out; the rest goes on', async () => {
    const { box, nas } = await setup();
    await box.sync(nas);
    const dir = join(nas, '.fieldbackup', 'manifests', 'someone');
    await fs.mkdir(dir, { recursive: true });
    await fs.writeFile(join(dir, '000001.json'), '{"format":"something else"}');
    await fs.writeFile(join(dir, '000003.json'), 'not json');
    const { done, events } = await box.sync(nas);
    expect(done).toMatchObject({ sent: 0, present: 3, exitCode: 0 });
    const warnings = events
      .filter((e) => e.event === 'warning')
      .map((e) => (e as { message: string }).message);
    expect(warnings.some((m) => m.includes('000001.json') && m.includes('format'))).toBe(true);
    expect(warnings.some((m) => m.includes('000003.json'))).toBe(true);
    expect(warnings.some((m) => m.includes('generations 2–2'))).toBe(true);
  });

  it('a move a box declared but did not make is finished by the next sync', async () => {
    const { box, nas } = await setup();
    await box.sync(nas);
    const photos = await nasPhotos(nas);
    const [path, f] = [...photos.entries()][0]!;
    const to = path.replace('.CR2', '.conflict-20261121-090000-laptop.CR2');
    const dir = join(nas, '.fieldbackup', 'manifests', 'laptop-id');
    await fs.mkdir(dir, { recursive: true });
    await fs.writeFile(
      join(dir, '000001.json'),
      JSON.stringify({
        format: 'fieldbackup-manifest',
        formatVersion: 1,
        box: { id: 'laptop-id', name: 'laptop' },
        generation: 1,
        created: new Date().toISOString(),
        tool: 'test',
        objects: [],
        moves: [{ hash: f.hash, from: path, to }],
      }),
    );
    const { events } = await box.sync(nas);
    expect(
      events.some((e) => e.event === 'warning' && e.code === 'E_RECOVERED' && e.path === to),
    ).toBe(true);
    expect((await nasPhotos(nas)).get(to)?.hash).toBe(f.hash);
    expect((await nasPhotos(nas)).has(path)).toBe(false);
  });
});
