import * as fs from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FolderSource, hashBytes, ingest, initVault, type IngestEvent } from '../../src/index.js';
import { openCatalog, setupBox } from '../helpers/box.js';
import { mountTmpfs, remount } from '../helpers/mounts.js';
import { isRoot, prerequisite } from '../helpers/prereq.js';
import { photosOf } from '../helpers/tree.js';

const root = prerequisite('root, for tmpfs mounts', isRoot());

describe.runIf(root)('a vault on a real small filesystem', () => {
  it('runs out of space mid-file: names the vault, removes the temp, finishes the other, records nothing half', async () => {
    const box = await setupBox({ captures: 4, jpeg: false, rawBytes: [1_200_000, 1_300_000] });
    const small = join(box.dir, 'small-ssd');
    await mountTmpfs(small, 3 * 1024 * 1024);
    await initVault(small, { label: 'SMALL' });

    const catalog = await openCatalog(box.home);
    const events: IngestEvent[] = [];
    const done = await ingest({
      source: new FolderSource(box.card),
      vaults: [box.vaultA, small],
      catalog,
      onEvent: (e) => events.push(e),
    });

    expect(done).toMatchObject({ files: 4, copied: 4, failed: 0, exitCode: 1 });
    expect(done.degraded).toBeGreaterThanOrEqual(2);
    const error = events.find((e) => e.event === 'error');
    expect(error).toMatchObject({ code: 'E_NO_SPACE', vault: 'SMALL' });
    expect(error?.event === 'error' && error.message).toMatch(/vault SMALL/);
    expect(done.vaults[1]).toMatchObject({ label: 'SMALL', available: false });
    expect(await fs.readdir(join(small, '.fieldbackup', 'tmp'))).toEqual([]);
    expect((await photosOf(box.vaultA)).size).toBe(4);

    // Every file the small vault holds is complete and recorded; no record points at a missing copy.
    const onSmall = await photosOf(small);
    const smallId = done.vaults[1]!.id;
    let recorded = 0;
    for (const f of box.shoot) {
      const object = catalog.object(hashBytes(await fs.readFile(join(box.card, f.relPath))));
      const copy = object?.copies[smallId];
      if (copy === undefined) continue;
      recorded++;
      expect(onSmall.has(copy.path)).toBe(true);
      expect((await fs.stat(join(small, 'Photos', copy.path))).size).toBe(f.size);
    }
    expect(recorded).toBe(onSmall.size);
    expect(recorded).toBe(4 - done.degraded);
    const files = events.filter((e) => e.event === 'file');
    expect(files.filter((e) => e.event === 'file' && e.missing.includes('SMALL'))).toHaveLength(
      done.degraded,
    );
  });

  it('goes on without a vault that is read-only', async () => {
    const box = await setupBox({ captures: 2, jpeg: false });
    const ro = join(box.dir, 'ro-ssd');
    await mountTmpfs(ro, 8 * 1024 * 1024);
    await initVault(ro, { label: 'RO' });
    remount(ro, 'ro');

    const catalog = await openCatalog(box.home);
    const events: IngestEvent[] = [];
    const done = await ingest({
      source: new FolderSource(box.card),
      vaults: [box.vaultA, ro],
      catalog,
      onEvent: (e) => events.push(e),
    });
    expect(done).toMatchObject({ copied: 2, degraded: 2, exitCode: 1 });
    expect(done.vaults[1]).toMatchObject({ label: 'RO', available: false });
    expect(events.find((e) => e.event === 'error')).toMatchObject({
      code: 'E_VAULT_READ_ONLY',
      vault: 'RO',
    });
  });
});
