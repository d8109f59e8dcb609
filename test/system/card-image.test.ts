import * as fs from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { generateShoot } from '../../fixtures/index.js';
import { CardImage } from '../../hardware-mocks/card-image.js';
import { FolderSource, ingest, initVault, type IngestEvent } from '../../src/index.js';
import { openCatalog } from '../helpers/box.js';
import { hasCommand, isRoot, prerequisite } from '../helpers/prereq.js';
import { tempDir } from '../helpers/tmp.js';
import { photosOf, snapshotTree } from '../helpers/tree.js';

const ready = prerequisite(
  'root with losetup, mkfs.exfat and exfat-fuse',
  isRoot() && hasCommand('losetup') && hasCommand('mkfs.exfat') && hasCommand('mount.exfat-fuse'),
);

describe.runIf(ready)('a real exFAT card on a loop device', () => {
  it('is identified by volume label and UUID, backed up read-only, and a reshot card is a new source', async () => {
    const dir = await tempDir();
    const card = await CardImage.create(dir, { label: 'EOS_DIGITAL' });
    onTestFinished(() => card.eject());
    const mnt = join(dir, 'media', 'card');
    card.mount(mnt, true);
    await generateShoot(mnt, { seed: 21, captures: 3, rawBytes: [100_000, 200_000], jpeg: true });
    card.unmount();
    card.mount(mnt);
    const vaults = [join(dir, 'a'), join(dir, 'b')];
    for (const v of vaults) await initVault(v);
    const catalog = await openCatalog(join(dir, 'home'));
    const before = await snapshotTree(mnt);

    const events: IngestEvent[] = [];
    const first = await ingest({
      source: new FolderSource(mnt),
      vaults,
      catalog,
      onEvent: (e) => events.push(e),
    });
    expect(first).toMatchObject({ files: 6, copied: 6, exitCode: 0 });
    const start = events.find((e) => e.event === 'start');
    expect(start?.event === 'start' && start.source).toMatchObject({
      kind: 'card',
      name: 'EOS_DIGITAL',
    });
    if (start?.event !== 'start') throw new Error('no start event');
    const record = catalog.source(start.source.id);
    expect(record?.identity.serial).toMatch(/^[0-9A-F]{4}-[0-9A-F]{4}$/);
    expect(record?.identity.capacityBytes).toBeGreaterThan(50 * 1024 * 1024);
    expect(
      [...(await photosOf(vaults[0]!)).keys()].every((p) =>
        p.includes('/EOS_DIGITAL/DCIM/100CANON/'),
      ),
    ).toBe(true);
    expect(await snapshotTree(mnt)).toEqual(before);

    // Same card, same UUID, reinserted: nothing to do.
    const again = await ingest({ source: new FolderSource(mnt), vaults, catalog });
    expect(again).toMatchObject({ unchanged: 6, bytesWritten: 0 });

    // Formatted in the camera and shot again with the same file names: a new source, new names, nothing overwritten.
    card.unmount();
    card.mount(mnt, true);
    await fs.rm(join(mnt, 'DCIM'), { recursive: true });
    await generateShoot(mnt, { seed: 22, captures: 3, rawBytes: [100_000, 200_000], jpeg: false });
    card.unmount();
    card.mount(mnt);
    const reshot: IngestEvent[] = [];
    const third = await ingest({
      source: new FolderSource(mnt),
      vaults,
      catalog,
      onEvent: (e) => reshot.push(e),
    });
    expect(third).toMatchObject({ copied: 3, unchanged: 0, exitCode: 0 });
    const newStart = reshot.find((e) => e.event === 'start');
    expect(newStart?.event === 'start' && newStart.source.id).not.toBe(start.source.id);
    expect((await photosOf(vaults[0]!)).size).toBe(9);
  });
});
