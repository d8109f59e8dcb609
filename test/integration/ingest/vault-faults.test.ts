import { spawn } from 'node:child_process';
import * as fs from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  FolderSource,
  ingest,
  nodeVaultIo,
  type IngestEvent,
  type VaultIo,
} from '../../../src/index.js';
import { openCatalog, setupBox } from '../../helpers/box.js';
import { photosOf } from '../../helpers/tree.js';

async function runWith(card: string, vaults: string[], home: string, vaultIo?: VaultIo) {
  const catalog = await openCatalog(home);
  const events: IngestEvent[] = [];
  const done = await ingest({
    source: new FolderSource(card),
    vaults,
    catalog,
    vaultIo,
    onEvent: (e) => events.push(e),
  });
  return { done, events, catalog };
}

/** A medium that flips a byte of some copies right after they are placed, before read-back. */
function corruptingIo(shouldCorrupt: (finalPath: string) => boolean): VaultIo {
  return {
    ...nodeVaultIo,
    async place(tmp, final) {
      const result = await nodeVaultIo.place(tmp, final);
      if (result === 'placed' && shouldCorrupt(final)) {
        const handle = await fs.open(final, 'r+');
        const byte = Buffer.alloc(1);
        await handle.read(byte, 0, 1, 100);
        byte[0] = (byte[0] ?? 0) ^ 0xff;
        await handle.write(byte, 0, 1, 100);
        await handle.sync();
        await handle.close();
      }
      return result;
    },
  };
}

describe('ingest with a failing vault', () => {
  it('goes on with the other vault when one is missing, and says so', async () => {
    const box = await setupBox({ captures: 2, jpeg: false });
    const missing = join(box.dir, 'ssd-b-not-mounted');
    const { done, events } = await runWith(box.card, [box.vaultA, missing], box.home);

    expect(done).toMatchObject({ files: 2, copied: 2, degraded: 2, failed: 0, exitCode: 1 });
    expect(done.vaults[1]).toMatchObject({ root: missing, available: false });
    expect(done.vaults[1]?.problem).toMatch(/missing/);
    expect(events.find((e) => e.event === 'error')).toMatchObject({
      code: 'E_VAULT_MISSING',
      vault: missing,
    });
    for (const e of events.filter((e) => e.event === 'file'))
      expect(e).toMatchObject({ missing: [missing] });
    expect((await photosOf(box.vaultA)).size).toBe(2);
  });

  it('names a known vault by its label when it is missing later', async () => {
    const box = await setupBox({ captures: 1, jpeg: false });
    await runWith(box.card, [box.vaultA, box.vaultB], box.home);
    const moved = `${box.vaultB}-unplugged`;
    await fs.rename(box.vaultB, moved);
    const { done } = await runWith(box.card, [box.vaultA, box.vaultB], box.home);
    expect(done.vaults[1]).toMatchObject({ label: 'SSD-B', available: false });
    expect(done.exitCode).toBe(1);
    await fs.rename(moved, box.vaultB);
    const back = await runWith(box.card, [box.vaultA, box.vaultB], box.home);
    expect(back.done).toMatchObject({ unchanged: 1, exitCode: 0 });
  });

  it('copies what a vault missed last time once it is back, without touching the other', async () => {
    const box = await setupBox({ captures: 2, jpeg: false });
    const missing = join(box.dir, 'later');
    await fs.rename(box.vaultB, missing);
    await runWith(box.card, [box.vaultA, box.vaultB], box.home);
    await fs.rename(missing, box.vaultB);
    const { done } = await runWith(box.card, [box.vaultA, box.vaultB], box.home);
    const total = box.shoot.reduce((n, f) => n + f.size, 0);
    expect(done).toMatchObject({ copied: 2, degraded: 0, bytesWritten: total, exitCode: 0 });
    expect(await photosOf(box.vaultB)).toEqual(await photosOf(box.vaultA));
  });

  it('detects a copy corrupted between write and verification, rewrites it and reports it', async () => {
    const box = await setupBox({ captures: 2, jpeg: false });
    const corrupted = new Set<string>();
    const io = corruptingIo((final) => {
      if (!final.startsWith(box.vaultB) || !final.endsWith('IMG_0002.CR2') || corrupted.has(final))
        return false;
      corrupted.add(final);
      return true;
    });
    const { done, events } = await runWith(box.card, [box.vaultA, box.vaultB], box.home, io);

    expect(done).toMatchObject({ copied: 2, degraded: 0, exitCode: 0 });
    const warning = events.find((e) => e.event === 'warning');
    expect(warning).toMatchObject({
      code: 'E_VERIFY_MISMATCH',
      vault: 'SSD-B',
      path: 'DCIM/100CANON/IMG_0002.CR2',
    });
    expect(await photosOf(box.vaultB)).toEqual(await photosOf(box.vaultA));
    const quarantine = join(box.vaultB, '.fieldbackup', 'quarantine');
    const kept = await fs.readdir(quarantine, { recursive: true });
    expect(kept.some((p) => p.endsWith('IMG_0002.CR2'))).toBe(true);
  });

  it('gives up on a vault that corrupts every copy of a file after three writes', async () => {
    const box = await setupBox({ captures: 1, jpeg: false });
    const io = corruptingIo((final) => final.startsWith(box.vaultB));
    const { done, events } = await runWith(box.card, [box.vaultA, box.vaultB], box.home, io);
    expect(
      events.filter((e) => e.event === 'warning' && e.code === 'E_VERIFY_MISMATCH'),
    ).toHaveLength(3);
    expect(events.find((e) => e.event === 'error')).toMatchObject({
      code: 'E_VERIFY_MISMATCH',
      vault: 'SSD-B',
    });
    expect(done).toMatchObject({ copied: 1, degraded: 1, exitCode: 1 });
    expect((await photosOf(box.vaultB)).size).toBe(0);
  });

  it('refuses a vault in use by another live process', async () => {
    const box = await setupBox({ captures: 1 });
    const sleeper = spawn('sleep', ['30']);
    try {
      const bootId = (await fs.readFile('/proc/sys/kernel/random/boot_id', 'utf8')).trim();
      await fs.writeFile(
        join(box.vaultA, '.fieldbackup', 'lock'),
        JSON.stringify({ pid: sleeper.pid, host: hostname(), bootId, since: 'now' }),
      );
      const catalog = await openCatalog(box.home);
      await expect(
        ingest({ source: new FolderSource(box.card), vaults: [box.vaultA, box.vaultB], catalog }),
      ).rejects.toMatchObject({
        code: 'E_VAULT_LOCKED',
      });
      // The other vault's lock was released again.
      await expect(fs.access(join(box.vaultB, '.fieldbackup', 'lock'))).rejects.toThrow();
    } finally {
      sleeper.kill();
    }
  });

  it('refuses the same vault given twice', async () => {
    const box = await setupBox({ captures: 1 });
    const catalog = await openCatalog(box.home);
    await expect(
      ingest({ source: new FolderSource(box.card), vaults: [box.vaultA, box.vaultA], catalog }),
    ).rejects.toMatchObject({
      code: 'E_USAGE',
    });
  });

  it('refuses a folder that is not a vault', async () => {
    const box = await setupBox({ captures: 1 });
    const catalog = await openCatalog(box.home);
    await expect(
      ingest({ source: new FolderSource(box.card), vaults: [box.vaultA, box.card], catalog }),
    ).rejects.toMatchObject({
      code: 'E_NOT_A_VAULT',
    });
  });
});
