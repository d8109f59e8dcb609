import { spawn } from 'node:child_process';
import * as fs from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { initVault } from '../../src/index.js';
import { notifySocket } from '../helpers/notify-socket.js';
import { hasCommand, isRoot, prerequisite } from '../helpers/prereq.js';
import { tempDir } from '../helpers/tmp.js';

const CLI = resolve('dist/src/cli/main.js');

const ready =
  prerequisite('root', isRoot()) &&
  prerequisite('systemd-notify', hasCommand('systemd-notify')) &&
  prerequisite('python3', hasCommand('python3'));

/**
 * `fieldbackup daemon` started the way fieldbackup.service starts it (Type=notify, WatchdogSec):
 * systemd's notify socket is stood in for by a real AF_UNIX datagram socket that checks who sent
 * each message, as systemd does for NotifyAccess=main.
 */
describe.runIf(ready)('fieldbackup daemon under systemd', () => {
  it('says READY, pings the watchdog and reports its phase as the main process, then STOPPING on SIGTERM', async () => {
    const dir = await tempDir();
    const vault = join(dir, 'vault');
    await initVault(vault, { label: 'A' });
    const config = join(dir, 'fieldbackup.yaml');
    await fs.writeFile(
      config,
      [
        'version: 1',
        `home: ${join(dir, 'home')}`,
        `vaults: [${vault}]`,
        'hardware:',
        `  drives: { lister: lsblk, mountRoot: ${join(dir, 'media')} }`,
        '  tether: { usb: false }',
        '',
      ].join('\n'),
    );
    const socket = await notifySocket(dir);
    const daemon = spawn(process.execPath, [CLI, 'daemon', '--config', config], {
      env: { ...process.env, NOTIFY_SOCKET: socket.path, WATCHDOG_USEC: '300000' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    daemon.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    daemon.stdout.resume();
    const exited = new Promise<number | null>((done) => daemon.on('exit', (code) => done(code)));
    const fromDaemon = (text: string) => (m: { pid: number; text: string }) =>
      m.pid === daemon.pid && m.text.startsWith(text);
    try {
      await socket.waitFor(fromDaemon('READY=1'), 30_000);
      await socket.waitFor(
        () => socket.messages.filter(fromDaemon('WATCHDOG=1')).length >= 2,
        5000,
      );
      daemon.kill('SIGTERM');
      await socket.waitFor(fromDaemon('STOPPING=1'), 30_000);
      expect(await exited).toBe(0);
    } finally {
      daemon.kill('SIGKILL');
    }
    const status = socket.messages.filter(fromDaemon('STATUS='));
    expect(status.length, stderr).toBeGreaterThan(0);
    expect(status.at(-1)?.text).toMatch(/^STATUS=stopped · card none/);
    // Every message came from the daemon itself (systemd drops others under NotifyAccess=main),
    // apart from systemd-notify's own barrier messages.
    expect(socket.messages.filter((m) => m.pid !== daemon.pid && m.text !== 'BARRIER=1')).toEqual(
      [],
    );
  }, 60_000);
});
