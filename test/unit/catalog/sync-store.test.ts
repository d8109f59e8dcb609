import { describe, expect, it } from 'vitest';
import { Catalog } from '../../../src/catalog/index.js';
import { asContentHash, type VaultId } from '../../../src/core/index.js';
import { tempDir } from '../../helpers/tmp.js';

const NAS = 'nas-vault' as VaultId;
const H1 = asContentHash('1'.repeat(32));
const H2 = asContentHash('2'.repeat(32));

describe('sync state in the catalog', () => {
  it('the box id is made once and survives a restart; a configured name renames the box, keeping the id', async () => {
    const home = await tempDir();
    let catalog = await Catalog.open(home);
    const first = await catalog.sync.box('pi-host');
    expect(first.name).toBe('pi-host');
    expect(await catalog.sync.box('other-host')).toEqual(first);
    await catalog.close();
    catalog = await Catalog.open(home);
    const renamed = await catalog.sync.box('pi-host', 'studio box');
    expect(renamed).toMatchObject({ id: first.id, name: 'studio box' });
    expect((await catalog.sync.box('pi-host')).name).toBe('studio box');
    await catalog.close();
  });

  it('remembers what was verified on each NAS, the last run, and pinned host keys', async () => {
    const catalog = await Catalog.open(await tempDir());
    try {
      await catalog.sync.recordPushed(NAS, H1, {
        path: 'a/IMG_1.CR2',
        size: 5,
        mtimeMs: 7,
        verifiedAt: 9,
      });
      await catalog.sync.recordPushed('other' as VaultId, H2, {
        path: 'b',
        size: 1,
        mtimeMs: 1,
        verifiedAt: 1,
      });
      expect(catalog.sync.pushed(NAS, H1)?.path).toBe('a/IMG_1.CR2');
      expect(catalog.sync.pushed(NAS, H2)).toBeUndefined();
      expect([...catalog.sync.pushedTo(NAS)].map((p) => p.hash)).toEqual([H1]);
      await catalog.sync.putTarget({
        vaultId: NAS,
        label: 'NAS',
        location: '/mnt/nas',
        lastStartedAt: 1,
      });
      expect(catalog.sync.target(NAS)).toMatchObject({ label: 'NAS' });
      expect([...catalog.sync.allTargets()]).toHaveLength(1);
      await catalog.sync.pinHostKey({
        host: 'nas:22',
        algorithm: 'ssh-ed25519',
        fingerprint: 'SHA256:x',
        pinnedAt: 3,
      });
      expect(catalog.sync.hostKey('nas:22')?.fingerprint).toBe('SHA256:x');
      expect(catalog.sync.hostKey('nas:2222')).toBeUndefined();
    } finally {
      await catalog.close();
    }
  });
});
