import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as fs from 'node:fs/promises';
import { join } from 'node:path';
import { systemClock } from '../../src/core/index.js';
import {
  REMOTE_HASH_MIN_BYTES,
  SftpRemote,
  type Remote,
  type SftpRemoteOptions,
} from '../../src/sync/index.js';
import { hashBytes } from '../../src/platform/index.js';
import { seededBytes } from '../../fixtures/index.js';
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:net';
import type { PinnedHostKey } from '../../src/catalog/index.js';
import { startSshd, sshdAvailable, type Sshd } from '../helpers/sshd.js';
import { remoteConformance } from '../unit/sync/remote-conformance.js';
import { onTestFinished } from 'vitest';

const memoryPins = (): {
  hostKey(h: string): PinnedHostKey | undefined;
  pinHostKey(r: PinnedHostKey): Promise<void>;
} => {
  const pins = new Map<string, PinnedHostKey>();
  return {
    hostKey: (h) => pins.get(h),
    pinHostKey: (r) => {
      pins.set(r.host, r);
      return Promise.resolve();
    },
  };
};

describe.runIf(sshdAvailable())('SftpRemote against a real OpenSSH server', () => {
  let sshd: Sshd;
  let n = 0;
  beforeAll(async () => {
    sshd = await startSshd();
  });
  afterAll(async () => sshd?.stop());

  const open = async (): Promise<{ remote: Remote; root: string }> => {
    const root = join(sshd.dir, `nas-${++n}`);
    await fs.mkdir(root);
    const remote = await SftpRemote.connect(
      { user: sshd.user, host: '127.0.0.1', port: sshd.port, path: root },
      sshd.url(root),
      { identity: sshd.identity, hostKeys: memoryPins(), clock: systemClock },
    );
    onTestFinished(() => remote.close());
    return { remote, root };
  };

  remoteConformance('SftpRemote', open);

  const connect = (root: string, pins = memoryPins(), extra: Partial<SftpRemoteOptions> = {}) =>
    SftpRemote.connect(
      { user: sshd.user, host: '127.0.0.1', port: sshd.port, path: root },
      sshd.url(root),
      { identity: sshd.identity, hostKeys: pins, clock: systemClock, ...extra },
    );

  it('uses OpenSSH fsync and hardlink; hashes large files on the NAS, small ones by reading back', async () => {
    const { remote, root } = await open();
    expect(remote.capabilities).toMatchObject({ fsync: true, atomicPlace: true });
    await fs.writeFile(join(root, 'fieldbackup-vault.json'), '{"probe":true}');
    const big = seededBytes('big', REMOTE_HASH_MIN_BYTES + 1);
    await fs.writeFile(join(root, 'big.bin'), big);
    await fs.writeFile(join(root, 'small.bin'), big.subarray(0, 1000));
    expect(await remote.hash('big.bin')).toEqual({
      hash: hashBytes(big),
      bytes: big.length,
      how: 'remote',
    });
    expect(remote.capabilities.hashOnRemote).toBe(true);
    expect((await remote.hash('small.bin')).how).toBe('read-back');
  });

  it('reads back instead when told not to hash on the NAS', async () => {
    const root = join(sshd.dir, `nas-${++n}`);
    await fs.mkdir(root);
    await fs.writeFile(join(root, 'fieldbackup-vault.json'), '{}');
    const big = seededBytes('big2', REMOTE_HASH_MIN_BYTES + 5);
    await fs.writeFile(join(root, 'big.bin'), big);
    const remote = await connect(root, memoryPins(), { noRemoteHash: true });
    onTestFinished(() => remote.close());
    expect(await remote.hash('big.bin')).toEqual({
      hash: hashBytes(big),
      bytes: big.length,
      how: 'read-back',
    });
  });

  it('pins the host key on first use, then refuses another key; --host-key re-pins deliberately', async () => {
    const root = join(sshd.dir, `nas-${++n}`);
    await fs.mkdir(root);
    const pins = memoryPins();
    await (await connect(root, pins)).close();
    const pinned = pins.hostKey(`127.0.0.1:${sshd.port}`);
    expect(pinned).toMatchObject({ fingerprint: sshd.fingerprint, algorithm: 'ssh-ed25519' });
    await (await connect(root, pins)).close();

    await sshd.restartWithNewHostKey();
    const refused = await connect(root, pins).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(refused).toMatchObject({ code: 'E_HOST_KEY' });
    expect(String((refused as Error).message)).toContain(pinned?.fingerprint);
    expect(pins.hostKey(`127.0.0.1:${sshd.port}`)?.fingerprint).toBe(pinned?.fingerprint);

    await expect(
      connect(root, pins, {
        expectedHostKey: 'SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
      }),
    ).rejects.toMatchObject({
      code: 'E_HOST_KEY',
    });
    await (await connect(root, pins, { expectedHostKey: sshd.fingerprint })).close();
    expect(pins.hostKey(`127.0.0.1:${sshd.port}`)?.fingerprint).toBe(sshd.fingerprint);
    await (await connect(root, pins)).close();
  });

  it('says which key was refused, and when the NAS does not answer', async () => {
    const root = join(sshd.dir, `nas-${++n}`);
    const stranger = join(sshd.dir, `stranger-${n}`);
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', stranger]);
    await expect(connect(root, memoryPins(), { identity: stranger })).rejects.toMatchObject({
      code: 'E_AUTH',
    });
    await expect(
      connect(root, memoryPins(), { identity: join(sshd.dir, 'no-such-key') }),
    ).rejects.toMatchObject({
      code: 'E_AUTH',
      subject: { field: 'identity' },
    });
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', 'secret', '-f', `${stranger}-locked`]);
    await expect(connect(root, memoryPins(), { identity: `${stranger}-locked` })).rejects.toThrow(
      /passphrase/,
    );
    const closed = await freePortNumber();
    await expect(
      SftpRemote.connect({ user: 'x', host: '127.0.0.1', port: closed, path: '/x' }, 'sftp://x', {
        identity: sshd.identity,
        hostKeys: memoryPins(),
        clock: systemClock,
      }),
    ).rejects.toMatchObject({ code: 'E_UNREACHABLE', retryable: true });
  });

  it('a dropped connection fails what is in flight with ECONNRESET', async () => {
    const { remote } = await open();
    const file = await remote.create('cut.bin');
    await file.write(seededBytes('cut', 100_000));
    sshd.dropConnections();
    const code = await file
      .close()
      .then(() => remote.stat('cut.bin'))
      .then(
        () => 'no error',
        (err: unknown) => (err as { code?: unknown }).code,
      );
    expect(code).toBe('ECONNRESET');
  });
});

describe.runIf(sshdAvailable())('SftpRemote on an SFTP-only account (no shell)', () => {
  it('verifies by reading back', async () => {
    const sshd = await startSshd({ sftpOnly: true });
    onTestFinished(() => sshd.stop());
    const root = join(sshd.dir, 'nas');
    await fs.mkdir(root);
    await fs.writeFile(join(root, 'fieldbackup-vault.json'), '{}');
    const big = seededBytes('big3', REMOTE_HASH_MIN_BYTES + 9);
    await fs.writeFile(join(root, 'big.bin'), big);
    const remote = await SftpRemote.connect(
      { user: sshd.user, host: '127.0.0.1', port: sshd.port, path: root },
      sshd.url(root),
      { identity: sshd.identity, hostKeys: memoryPins(), clock: systemClock },
    );
    onTestFinished(() => remote.close());
    expect(await remote.hash('big.bin')).toEqual({
      hash: hashBytes(big),
      bytes: big.length,
      how: 'read-back',
    });
    expect(remote.capabilities.hashOnRemote).toBe(false);
  });
});

async function freePortNumber(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  return typeof address === 'object' && address !== null ? address.port : 1;
}
