import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hasCommand, isRoot, prerequisite } from './prereq.js';

const SSHD = '/usr/sbin/sshd';

/** A real OpenSSH server on 127.0.0.1 with a throwaway host key and a user key (the NAS of the tests). */
export interface Sshd {
  readonly port: number;
  readonly user: string;
  /** The private key the box logs in with. */
  readonly identity: string;
  /** The host key's SHA256 fingerprint, as ssh-keygen -lf prints it. */
  readonly fingerprint: string;
  /** A folder for the test's NAS data. */
  readonly dir: string;
  url(path: string): string;
  /** Kills the sessions' processes: what the box sees when the network drops. */
  dropConnections(): void;
  /** Starts again with a new host key (a reinstalled NAS, or an impostor). */
  restartWithNewHostKey(): Promise<void>;
  stop(): Promise<void>;
}

export function sshdAvailable(): boolean {
  return prerequisite('OpenSSH server (apt openssh-server) and root', isRoot() && hasCommand(SSHD));
}

export interface SshdOptions {
  /** Only SFTP (ForceCommand internal-sftp): no shell, so no hashing on the NAS. */
  readonly sftpOnly?: boolean;
}

export async function startSshd(options: SshdOptions = {}): Promise<Sshd> {
  const dir = await fs.mkdtemp(join(tmpdir(), 'fb-sshd-'));
  const identity = join(dir, 'user_key');
  const hostKey = join(dir, 'host_key');
  execFileSync('ssh-keygen', [
    '-q',
    '-t',
    'ed25519',
    '-N',
    '',
    '-C',
    'fieldbackup-test',
    '-f',
    identity,
  ]);
  await fs.writeFile(join(dir, 'authorized_keys'), await fs.readFile(`${identity}.pub`), {
    mode: 0o600,
  });
  await fs.mkdir('/run/sshd', { recursive: true, mode: 0o755 });
  const port = await freePort();
  const config = join(dir, 'sshd_config');
  let child: ChildProcess | undefined;
  let fingerprint = '';

  const start = async (): Promise<void> => {
    await fs.rm(hostKey, { force: true });
    await fs.rm(`${hostKey}.pub`, { force: true });
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', hostKey]);
    fingerprint =
      execFileSync('ssh-keygen', ['-lf', `${hostKey}.pub`], { encoding: 'utf8' }).split(' ')[1] ??
      '';
    await fs.writeFile(
      config,
      [
        `Port ${port}`,
        'ListenAddress 127.0.0.1',
        `HostKey ${hostKey}`,
        `PidFile ${join(dir, 'sshd.pid')}`,
        `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
        'StrictModes no',
        'PasswordAuthentication no',
        'KbdInteractiveAuthentication no',
        'UsePAM no',
        'PermitRootLogin prohibit-password',
        'Subsystem sftp internal-sftp',
        ...(options.sftpOnly === true ? ['ForceCommand internal-sftp'] : []),
        'LogLevel ERROR',
        '',
      ].join('\n'),
    );
    child = spawn(SSHD, ['-D', '-e', '-f', config], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    await waitForPort(port, () => stderr);
  };

  const stop = async (): Promise<void> => {
    const c = child;
    child = undefined;
    if (c === undefined || c.exitCode !== null) return;
    dropChildren(c.pid);
    await new Promise<void>((resolve) => {
      c.once('exit', () => resolve());
      c.kill('SIGTERM');
    });
  };

  await start();
  const user = execFileSync('id', ['-un'], { encoding: 'utf8' }).trim();
  return {
    port,
    user,
    identity,
    get fingerprint() {
      return fingerprint;
    },
    dir,
    url: (path) => `sftp://${user}@127.0.0.1:${port}${path}`,
    dropConnections: () => dropChildren(child?.pid),
    restartWithNewHostKey: async () => {
      await stop();
      await start();
    },
    stop: async () => {
      await stop();
      await fs.rm(dir, { recursive: true, force: true });
    },
  };
}

/** Each SSH session is a descendant of the listening sshd; killing them all is a dropped network. */
function dropChildren(pid: number | undefined): void {
  if (pid === undefined) return;
  const table = execFileSync('ps', ['-e', '-o', 'pid=,ppid='], { encoding: 'utf8' })
    .split('\n')
    .map((l) => l.trim().split(/\s+/).map(Number))
    .filter((r): r is [number, number] => r.length === 2 && r[0]! > 0);
  const doomed = new Set<number>([pid]);
  for (let grew = true; grew;) {
    grew = false;
    for (const [child, parent] of table) {
      if (doomed.has(parent) && !doomed.has(child)) {
        doomed.add(child);
        grew = true;
      }
    }
  }
  doomed.delete(pid);
  for (const child of doomed) {
    try {
      process.kill(child, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, log: () => string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const up = await new Promise<boolean>((resolve) => {
      const s = connect({ host: '127.0.0.1', port }, () => {
        s.destroy();
        resolve(true);
      });
      s.on('error', () => resolve(false));
    });
    if (up) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`sshd did not start on port ${port}: ${log()}`);
}
