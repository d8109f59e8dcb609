import * as fs from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  FolderSource,
  hashBytes,
  ingest,
  type IngestEvent,
  type JobId,
  type VaultId,
} from '../../../src/index.js';
import { openCatalog, scrubBox, setupBox } from '../../helpers/box.js';
import { photosOf } from '../../helpers/tree.js';

async function vaultId(root: string): Promise<VaultId> {
  return (
    JSON.parse(await fs.readFile(join(root, 'fieldbackup-vault.json'), 'utf8')) as { id: VaultId }
  ).id;
}

describe('recovery after a crash', () => {
  it('removes temporaries, adopts a complete copy, quarantines a wrong one, forgets one never placed', async () => {
    const box = await setupBox({ captures: 1, jpeg: false });
    const catalog = await openCatalog(box.home);
    const a = await vaultId(box.vaultA);
    await fs.writeFile(join(box.vaultA, '.fieldbackup', 'tmp', 'job-1.part'), 'half a file');
    const good = Buffer.from('a complete copy');
    const wrong = Buffer.from('torn');
    await fs.mkdir(join(box.vaultA, 'Photos', 'x'), { recursive: true });
    await fs.writeFile(join(box.vaultA, 'Photos', 'x', 'good.CR2'), good);
    await fs.writeFile(join(box.vaultA, 'Photos', 'x', 'wrong.CR2'), wrong);
    const job = 'job' as JobId;
    await catalog.recordIntents([
      {
        vaultId: a,
        path: 'x/good.CR2',
        hash: hashBytes(good),
        size: good.length,
        jobId: job,
        createdAt: 0,
      },
      {
        vaultId: a,
        path: 'x/wrong.CR2',
        hash: hashBytes(Buffer.from('what it should be')),
        size: 17,
        jobId: job,
        createdAt: 0,
      },
      {
        vaultId: a,
        path: 'x/never.CR2',
        hash: hashBytes(Buffer.from('never placed')),
        size: 12,
        jobId: job,
        createdAt: 0,
      },
    ]);

    const events: IngestEvent[] = [];
    await ingest({
      source: new FolderSource(box.card),
      vaults: [box.vaultA, box.vaultB],
      catalog,
      onEvent: (e) => events.push(e),
    });

    const recovered = events.find((e) => e.event === 'warning' && e.code === 'E_RECOVERED');
    expect(recovered?.event === 'warning' && recovered.message).toMatch(
      /1 copies adopted, 1 moved to quarantine, 1 temporaries removed/,
    );
    expect(catalog.object(hashBytes(good))?.copies[a]?.path).toBe('x/good.CR2');
    expect(catalog.intentsOf(a)).toEqual([]);
    await expect(fs.access(join(box.vaultA, 'Photos', 'x', 'wrong.CR2'))).rejects.toThrow();
    const quarantined = await fs.readdir(join(box.vaultA, '.fieldbackup', 'quarantine'), {
      recursive: true,
    });
    expect(quarantined.some((p) => p.endsWith('wrong.CR2'))).toBe(true);
    // The adopted copy is listed in the next ASC MHL generation.
    const mhl = (await fs.readdir(join(box.vaultA, 'Photos', 'ascmhl'))).find((n) =>
      n.endsWith('.mhl'),
    );
    expect(await fs.readFile(join(box.vaultA, 'Photos', 'ascmhl', mhl ?? ''), 'utf8')).toContain(
      'x/good.CR2',
    );
  });

  it('marks a job cut off while running as interrupted', async () => {
    const box = await setupBox({ captures: 1, jpeg: false });
    const catalog = await openCatalog(box.home);
    const a = await vaultId(box.vaultA);
    await catalog.putJob({
      id: 'old' as JobId,
      sourceId: 'card-x' as never,
      sourceLocation: '/media/card',
      vaults: [a],
      state: 'running',
      startedAt: 1,
      totalFiles: 10,
      totalBytes: 100,
      done: {
        files: 0,
        copied: 3,
        deduplicated: 0,
        unchanged: 0,
        failed: 0,
        degraded: 0,
        bytesWritten: 30,
      },
    });
    await ingest({ source: new FolderSource(box.card), vaults: [box.vaultA, box.vaultB], catalog });
    expect(catalog.job('old' as JobId)?.state).toBe('interrupted');
  });
});

describe('scrub', () => {
  async function ingested() {
    const box = await setupBox({ captures: 2, jpeg: false });
    const catalog = await openCatalog(box.home);
    await ingest({ source: new FolderSource(box.card), vaults: [box.vaultA, box.vaultB], catalog });
    const paths = [...(await photosOf(box.vaultA)).keys()];
    return { box, catalog, paths };
  }

  it('finds nothing wrong in healthy vaults', async () => {
    const { box, catalog } = await ingested();
    const { done } = await scrubBox(box, catalog);
    expect(done).toMatchObject({ checked: 4, ok: 4, repaired: 0, unrepairable: 0, exitCode: 0 });
  });

  it('repairs a copy that rotted later from the good one, keeping the bad bytes in quarantine', async () => {
    const { box, catalog, paths } = await ingested();
    const victim = join(box.vaultB, 'Photos', paths[0]!);
    const good = await fs.readFile(join(box.vaultA, 'Photos', paths[0]!));
    const rotten = Buffer.from(good);
    rotten[1000] = (rotten[1000] ?? 0) ^ 0x01;
    await fs.writeFile(victim, rotten);

    const { done, events } = await scrubBox(box, catalog);
    expect(done).toMatchObject({ checked: 4, ok: 3, repaired: 1, exitCode: 0 });
    expect(events.find((e) => e.event === 'problem')).toMatchObject({
      vault: 'SSD-B',
      path: paths[0],
      problem: 'mismatch',
    });
    expect(events.find((e) => e.event === 'repaired')).toMatchObject({
      vault: 'SSD-B',
      from: 'SSD-A',
    });
    expect((await fs.readFile(victim)).equals(good)).toBe(true);
    const repaired = events.find((e) => e.event === 'repaired');
    const kept = repaired?.event === 'repaired' ? repaired.quarantined : undefined;
    expect(kept !== undefined && (await fs.readFile(kept)).equals(rotten)).toBe(true);
  });

  it('restores a deleted copy', async () => {
    const { box, catalog, paths } = await ingested();
    await fs.rm(join(box.vaultA, 'Photos', paths[1]!));
    const { done, events } = await scrubBox(box, catalog);
    expect(events.find((e) => e.event === 'problem')).toMatchObject({
      vault: 'SSD-A',
      problem: 'missing',
    });
    expect(done).toMatchObject({ repaired: 1, exitCode: 0 });
    expect(await photosOf(box.vaultA)).toEqual(await photosOf(box.vaultB));
  });

  it('reports a file bad on every vault as unrepairable', async () => {
    const { box, catalog, paths } = await ingested();
    for (const v of [box.vaultA, box.vaultB])
      await fs.writeFile(join(v, 'Photos', paths[0]!), 'garbage');
    const { done, events } = await scrubBox(box, catalog);
    expect(done).toMatchObject({ unrepairable: 2, exitCode: 1 });
    expect(events.filter((e) => e.event === 'error')).toHaveLength(2);
  });
});
