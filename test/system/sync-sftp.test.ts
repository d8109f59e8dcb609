import * as fs from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateShoot } from '../../fixtures/index.js';
import { Catalog } from '../../src/index.js';
import { REMOTE_HASH_MIN_BYTES, syncToNas } from '../../src/sync/index.js';
import { nasPhotos } from '../helpers/sync-boxes.js';
import { cli } from '../helpers/cli.js';
import { startSshd, sshdAvailable, type Sshd } from '../helpers/sshd.js';
import { photosOf } from '../helpers/tree.js';
import { tempDir } from '../helpers/tmp.js';

describe.runIf(sshdAvailable())('sync over SFTP into a real OpenSSH server', () => {
  let sshd: Sshd;
  beforeAll(async () => {
    sshd = await startSshd();
  });
  afterAll(async () => sshd?.stop());

  async function backedUp(captures = 3, rawBytes: [number, number] = [30_000, 90_000]) {
    const dir = await tempDir();
    const card = join(dir, 'EOS_R5_07');
    await generateShoot(card, { seed: 77, captures, rawBytes, jpeg: true });
    await cli(['vault', 'init', join(dir, 'a')]);
    await cli(['vault', 'init', join(dir, 'b')]);
    const home = join(dir, 'home');
    await cli([
      'ingest',
      card,
      '--vault',
      join(dir, 'a'),
      '--vault',
      join(dir, 'b'),
      '--home',
      home,
    ]);
    const nas = join(sshd.dir, `photos-${Math.random().toString(36).slice(2)}`);
    await fs.mkdir(nas);
    return { dir, home, nas, ssd: join(dir, 'a') };
  }

  it('syncs with the CLI: verified, same layout; again sends 0 bytes; archive status over SFTP', async () => {
    const { home, nas, ssd } = await backedUp();
    const args = ['--to', sshd.url(nas), '--identity', sshd.identity, '--home', home];
    const run = await cli(['sync', ...args, '--init', '--box-name', 'studio', '--json']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.events.at(-1)).toMatchObject({ event: 'done', files: 6, sent: 6, exitCode: 0 });
    expect(await photosOf(nas)).toEqual(await photosOf(ssd));
    const again = await cli(['sync', ...args, '--json']);
    expect(again.events.at(-1)).toMatchObject({ sent: 0, bytesSent: 0, exitCode: 0 });
    const status = await cli(['archive', 'status', ...args, '--json']);
    expect(status.events[0]).toMatchObject({
      objects: 6,
      thisBox: { missing: 0 },
      boxes: [{ name: 'studio', files: 6 }],
    });
  });

  it('refuses a NAS whose host key changed; --host-key with the new fingerprint pins it', async () => {
    const { home, nas } = await backedUp(1);
    const args = ['--to', sshd.url(nas), '--identity', sshd.identity, '--home', home];
    expect((await cli(['sync', ...args, '--init'])).code).toBe(0);
    await sshd.restartWithNewHostKey();
    const refused = await cli(['sync', ...args, '--json']);
    expect(refused.code).toBe(1);
    expect(refused.events.at(-1)).toMatchObject({
      event: 'error',
      code: 'E_HOST_KEY',
      fatal: true,
    });
    expect((await cli(['sync', ...args, '--host-key', sshd.fingerprint])).code).toBe(0);
    expect((await cli(['sync', ...args])).code).toBe(0);
  });

  it('a network drop stops the sync; the next run redoes at most the file in flight', async () => {
    const { home, nas, ssd } = await backedUp(8, [200_000, 400_000]);
    const catalog = await Catalog.open(home);
    let files = 0;
    const first = await syncToNas({
      catalog,
      to: sshd.url(nas),
      identity: sshd.identity,
      init: true,
      concurrency: 1,
      onEvent: (e) => {
        if (e.event === 'file' && ++files === 3) sshd.dropConnections();
      },
    }).finally(() => catalog.close());
    expect(first).toMatchObject({ interrupted: true, exitCode: 1 });
    const second = await cli([
      'sync',
      '--to',
      sshd.url(nas),
      '--identity',
      sshd.identity,
      '--home',
      home,
      '--json',
    ]);
    expect(second.code, second.stderr).toBe(0);
    const done = second.events.at(-1) as { sent: number; adopted: number; bytesSent: number };
    expect(first.sent + done.sent + done.adopted).toBe(16);
    const sizes = [...(await nasPhotos(nas)).values()].map((f) => f.size);
    expect(first.bytesSent + done.bytesSent).toBeLessThanOrEqual(
      sizes.reduce((n, x) => n + x, 0) + Math.max(...sizes),
    );
    expect(await photosOf(nas)).toEqual(await photosOf(ssd));
  });

  it('large files are verified by hashing on the NAS', async () => {
    const { home, nas } = await backedUp(1, [
      REMOTE_HASH_MIN_BYTES + 1000,
      REMOTE_HASH_MIN_BYTES + 2000,
    ]);
    const run = await cli([
      'sync',
      '--to',
      sshd.url(nas),
      '--identity',
      sshd.identity,
      '--home',
      home,
      '--init',
      '--json',
    ]);
    expect(run.events.at(-1)).toMatchObject({ sent: 2, exitCode: 0 });
    const done = run.events.at(-1) as { bytesSent: number; bytesVerified: number };
    expect(done.bytesVerified).toBe(done.bytesSent);
  });
});
