import { rmSync } from 'node:fs';
import * as fs from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  FolderSource,
  hashBytes,
  ingest,
  initVault,
  nodeVaultIo,
  Tiers,
  type IngestEvent,
  type VaultIo,
} from '../../src/index.js';
import { openCatalog, setupBox } from '../helpers/box.js';
import { mountTmpfs, remount } from '../helpers/mounts.js';
import { isRoot, prerequisite } from '../helpers/prereq.js';
import { photosOf } from '../helpers/tree.js';

const root = prerequisite('root, for tmpfs mounts', isRoot());

describe.runIf(root)('a vault on a real small filesystem', () => {
  it('runs out of space mid-file: names the vault, removes the temp, records nothing half, and keeps the vault for what fits', async () => {
    const box = await setupBox({ captures: 3, jpeg: false, rawBytes: [1_000_000, 1_000_001] });
    const small = join(box.dir, 'small-ssd');
    await mountTmpfs(small, 4 * 1024 * 1024);
    await initVault(small, { label: 'SMALL' });
    // Another writer fills SMALL after the space check for the second file, and is gone once that write failed.
    const filler = join(small, 'other-writer.bin');
    let temps = 0;
    const io: VaultIo = {
      ...nodeVaultIo,
      async createTemp(path) {
        if (path.startsWith(small)) {
          temps++;
          if (temps === 2) {
            const { bavail, bsize } = await fs.statfs(small);
            await fs.writeFile(filler, Buffer.alloc(bavail * bsize - 200_000));
          }
        }
        return nodeVaultIo.createTemp(path);
      },
    };
    const catalog = await openCatalog(box.home);
    const events: IngestEvent[] = [];
    const done = await ingest({
      source: new FolderSource(box.card),
      vaults: [box.vaultA, small],
      catalog,
      concurrency: 1,
      // No reserve: the space check lets every file try SMALL.
      tiers: Tiers.fromConfig({ policies: { standard: { reserve: 0 } } }),
      vaultIo: io,
      onEvent: (e) => {
        events.push(e);
        if (e.event === 'error' && e.code === 'E_NO_SPACE') rmSync(filler);
      },
    });

    expect(done).toMatchObject({ files: 3, copied: 3, failed: 0, degraded: 1, exitCode: 1 });
    expect(events.filter((e) => e.event === 'error')).toEqual([
      {
        event: 'error',
        code: 'E_NO_SPACE',
        message:
          'vault SMALL ran out of space: DCIM/100CANON/IMG_0002.CR2 has no copy there (nothing partial is kept)',
        path: 'DCIM/100CANON/IMG_0002.CR2',
        vault: 'SMALL',
      },
    ]);
    expect(done.vaults[1]).toMatchObject({ label: 'SMALL', available: true });
    expect(done.short).toEqual([
      {
        path: 'DCIM/100CANON/IMG_0002.CR2',
        tier: 'standard',
        required: 2,
        on: ['SSD-A'],
        reason: 'SMALL ran out of space while it was copied',
      },
    ]);
    expect(await fs.readdir(join(small, '.fieldbackup', 'tmp'))).toEqual([]);
    expect((await photosOf(box.vaultA)).size).toBe(3);

    // Every file SMALL holds is complete and recorded; no record points at a missing copy.
    const onSmall = await photosOf(small);
    expect(onSmall.size).toBe(2);
    const smallId = done.vaults[1]!.id;
    for (const f of box.shoot) {
      const object = catalog.object(hashBytes(await fs.readFile(join(box.card, f.relPath))));
      const copy = object?.copies[smallId];
      expect(copy === undefined).toBe(f.relPath.endsWith('IMG_0002.CR2'));
      if (copy !== undefined)
        expect((await fs.stat(join(small, 'Photos', copy.path))).size).toBe(f.size);
    }
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
