import * as fs from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateShoot } from '../../../fixtures/index.js';
import {
  FolderSource,
  IngestSession,
  ingest,
  nodeVaultIo,
  type IngestEvent,
  type SourceEntry,
  type TierRule,
  type VaultIo,
} from '../../../src/index.js';
import { openCatalog, setupBox } from '../../helpers/box.js';
import { photosOf } from '../../helpers/tree.js';

/** critical: files in a folder named TETHER or with 7 in their number. */
const rule: TierRule = (c) =>
  c.entries.some((e) => /TETHER|_\d{3}7/.test(e.relPath)) ? 'critical' : 'standard';

/** Logs, in order, when each file's first byte is written and when it is secured. */
function logged(log: string[]): { io: VaultIo; onEvent: (e: IngestEvent) => void } {
  return {
    io: {
      ...nodeVaultIo,
      createTemp(path) {
        log.push(`write ${path}`);
        return nodeVaultIo.createTemp(path);
      },
    },
    onEvent: (e) => {
      if (e.event === 'file') log.push(`secured ${e.tier} ${e.path}`);
    },
  };
}

describe('ingest session', () => {
  it('secures every critical capture on both vaults before the first standard byte is written', async () => {
    const box = await setupBox({ captures: 12, jpeg: true, rawBytes: [200_000, 400_000] });
    const catalog = await openCatalog(box.home);
    const log: string[] = [];
    const { io, onEvent } = logged(log);
    const done = await ingest({
      source: new FolderSource(box.card),
      vaults: [box.vaultA, box.vaultB],
      catalog,
      vaultIo: io,
      tierRule: rule,
      onEvent,
    });
    expect(done.exitCode).toBe(0);

    const critical = box.shoot.filter((f) => /_\d{3}7/.test(f.relPath));
    expect(critical.map((f) => f.relPath)).toEqual([
      'DCIM/100CANON/IMG_0007.CR2',
      'DCIM/100CANON/IMG_0007.JPG',
    ]);
    const lastCritical = log.findLastIndex((l) => l.startsWith('secured critical'));
    expect(log.filter((l) => l.startsWith('secured critical'))).toHaveLength(critical.length);
    // Every byte written before the last critical file was secured belongs to a critical file (one temp per file and vault),
    // and no standard file was secured before it.
    expect(log.slice(0, lastCritical).filter((l) => l.startsWith('write'))).toHaveLength(
      critical.length * 2,
    );
    expect(log.slice(0, lastCritical).some((l) => l.startsWith('secured standard'))).toBe(false);
  });

  it('lets a critical shot that arrives mid-ingest overtake the card within one file', async () => {
    const box = await setupBox({ captures: 10, jpeg: false, rawBytes: [2_000_000, 3_000_000] });
    const tether = join(box.dir, 'TETHER');
    await generateShoot(tether, {
      seed: 99,
      captures: 1,
      rawBytes: [100_000, 200_000],
      jpeg: false,
      folder: 'TETHER',
    });
    const catalog = await openCatalog(box.home);
    const session = await IngestSession.open({
      vaults: [box.vaultA, box.vaultB],
      catalog,
      tierRule: rule,
      concurrency: 1,
    });
    const order: string[] = [];
    let shot: Promise<unknown> | undefined;
    let submittedAt = -1;
    const card = session.ingest(new FolderSource(box.card), {
      onEvent: (e) => {
        if (e.event !== 'file') return;
        order.push(e.path);
        if (order.length === 2 && shot === undefined) {
          submittedAt = order.length;
          shot = session.ingest(new FolderSource(tether), {
            onEvent: (t) => t.event === 'file' && order.push(`shot:${t.path}`),
          });
        }
      },
    });
    const done = await card;
    await shot;
    await session.close();
    expect(done.exitCode).toBe(0);
    const shotAt = order.findIndex((p) => p.startsWith('shot:'));
    // Enumerating and planning the shot takes a moment: it is secured at most one card file after it was queued.
    expect(shotAt - submittedAt).toBeLessThanOrEqual(2);
    expect(shotAt).toBeLessThan(order.length - 3);
  });

  it('stops a job on abort after the files in flight, and records it as interrupted', async () => {
    const box = await setupBox({ captures: 8, jpeg: false, rawBytes: [1_000_000, 1_500_000] });
    const catalog = await openCatalog(box.home);
    const abort = new AbortController();
    let files = 0;
    const done = await ingest({
      source: new FolderSource(box.card),
      vaults: [box.vaultA, box.vaultB],
      catalog,
      concurrency: 1,
      signal: abort.signal,
      onEvent: (e) => {
        if (e.event === 'file' && ++files === 2) abort.abort();
      },
    });
    expect(done).toMatchObject({ files: 8, copied: 2, failed: 6, exitCode: 1 });
    expect(catalog.job(done.jobId)?.state).toBe('interrupted');
    expect(await fs.readdir(join(box.vaultA, '.fieldbackup', 'tmp'))).toEqual([]);
  });
});

describe('a job fed file by file', () => {
  it('secures each file as it is added, and finishes with one ASC MHL generation', async () => {
    const box = await setupBox({ captures: 3, jpeg: false });
    const catalog = await openCatalog(box.home);
    const session = await IngestSession.open({ vaults: [box.vaultA, box.vaultB], catalog });
    const source = new FolderSource(box.card);
    const all: SourceEntry[] = [];
    for await (const e of source.entries(() => undefined)) all.push(e);
    const events: IngestEvent[] = [];
    const job = await session.startJob(
      source,
      { kind: 'camera', name: 'Canon EOS R5', location: 'usb:1-1', serial: '0123' },
      { onEvent: (e) => events.push(e) },
    );
    expect(events[0]).toMatchObject({
      event: 'start',
      files: 0,
      source: { kind: 'camera', name: 'Canon EOS R5' },
    });

    await job.add([all[0]!]);
    expect(events.filter((e) => e.event === 'file')).toHaveLength(1);
    expect((await photosOf(box.vaultA)).size).toBe(1);
    await job.add(all.slice(1));
    const done = await job.finish();
    await session.close();

    expect(done).toMatchObject({ files: 3, copied: 3, exitCode: 0 });
    const mhl = (await fs.readdir(join(box.vaultB, 'Photos', 'ascmhl'))).filter((n) =>
      n.endsWith('.mhl'),
    );
    expect(mhl).toHaveLength(1);
  });
});
