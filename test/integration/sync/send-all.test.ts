import * as fs from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { generateShoot } from '../../../fixtures/index.js';
import { systemClock, type ContentHash, type SyncEvent } from '../../../src/core/index.js';
import { Archive } from '../../../src/sync/archive.js';
import { BoxObjects } from '../../../src/sync/box-objects.js';
import { LocalRemote } from '../../../src/sync/local-remote.js';
import { openLocalVaults } from '../../../src/sync/local-vaults.js';
import { RemoteVault } from '../../../src/sync/remote-vault.js';
import { sendAll } from '../../../src/sync/send-all.js';
import { makeBox } from '../../helpers/sync-boxes.js';
import { tempDir } from '../../helpers/tmp.js';

/** The catalog as another process changes it while the sync runs: one object is gone by the time its turn comes. */
class Vanishing extends BoxObjects {
  gone: ContentHash | undefined;
  override one(hash: ContentHash) {
    return hash === this.gone ? undefined : super.one(hash);
  }
}

describe('sendAll', () => {
  it('names an object that left the catalog mid-run, counts it failed, and sends the rest', async () => {
    const dir = await tempDir();
    const box = await makeBox(dir, 'vanish');
    onTestFinished(() => box.close());
    const card = join(dir, 'card');
    await generateShoot(card, { seed: 3, captures: 3, rawBytes: [10_000, 20_000] });
    expect((await box.ingest(card)).exitCode).toBe(0);
    const nas = join(dir, 'nas');
    await fs.mkdir(nas);
    const me = await box.catalog.sync.box(new Date(), 'vanish');
    const vault = await RemoteVault.open(new LocalRemote(nas), {
      init: true,
      owner: me.id,
      now: new Date(),
    });
    const objects = new Vanishing(
      box.catalog,
      await openLocalVaults(box.catalog, undefined, () => undefined),
    );
    const plan = [...objects.all()].map((o) => ({ hash: o.hash, size: o.size }));
    expect(plan).toHaveLength(3);
    objects.gone = plan[1]!.hash;
    const events: SyncEvent[] = [];
    const totals = await sendAll(
      {
        catalog: box.catalog,
        vault,
        archive: Archive.build([]),
        box: me,
        objects,
        clock: systemClock,
        concurrency: 1,
        emit: (e) => events.push(e),
      },
      plan,
    );
    expect(totals).toMatchObject({ sent: 2, failed: 1 });
    const errors = events.filter((e) => e.event === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: 'E_COPY_MISSING', vault: 'NAS' });
    expect(String((errors[0] as { message: string }).message)).toContain(plan[1]!.hash);
  });
});
