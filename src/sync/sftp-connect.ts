import * as fs from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import ssh2 from 'ssh2';
import type { Client, ConnectConfig, SFTPWrapper } from 'ssh2';
import { FieldBackupError, errorMessage, type Clock } from '../core/index.js';
import { errnoOf } from '../platform/index.js';
import {
  checkHostKey,
  describeHostKey,
  type HostKeyStore,
  type HostKeyVerdict,
  type SeenHostKey,
} from './host-key.js';

export interface SftpEndpoint {
  readonly user: string;
  readonly host: string;
  readonly port: number;
}

export interface SftpConnectOptions {
  /** Private key file; default ~/.ssh/id_ed25519, id_ecdsa, id_rsa, else the ssh-agent. */
  readonly identity?: string;
  readonly hostKeys: HostKeyStore;
  /** A fingerprint (SHA256:…) to require, and pin in place of an earlier one. */
  readonly expectedHostKey?: string;
  /** Connecting and authenticating may take this long. */
  readonly timeoutMs?: number;
  /** A silent network is declared lost after about this long. */
  readonly keepaliveMs?: number;
  readonly env?: NodeJS.ProcessEnv;
  readonly clock: Clock;
}

export interface SftpSession {
  readonly client: Client;
  readonly sftp: SFTPWrapper;
  readonly hostKey: SeenHostKey & { readonly verdict: HostKeyVerdict };
}

const DEFAULT_KEYS = ['id_ed25519', 'id_ecdsa', 'id_rsa'];

/**
 * Opens an SSH connection with key authentication, checks the host key against the pin
 * (pinning it on first use), and starts the SFTP subsystem. Failures are typed: E_UNREACHABLE
 * (retry later), E_HOST_KEY, E_AUTH.
 */
export async function connectSftp(
  endpoint: SftpEndpoint,
  options: SftpConnectOptions,
): Promise<SftpSession> {
  const where = `${endpoint.user}@${endpoint.host}:${endpoint.port}`;
  const hostId = `${endpoint.host}:${endpoint.port}`;
  const auth = await authConfig(options, where);
  const client = new ssh2.Client();
  let seen: (SeenHostKey & { verdict: HostKeyVerdict }) | undefined;
  let refused: FieldBackupError | undefined;
  const keepalive = options.keepaliveMs ?? 15_000;
  const config: ConnectConfig = {
    host: endpoint.host,
    port: endpoint.port,
    username: endpoint.user,
    ...auth,
    readyTimeout: options.timeoutMs ?? 15_000,
    keepaliveInterval: Math.max(1000, Math.round(keepalive / 3)),
    keepaliveCountMax: 3,
    hostVerifier: (key: Buffer): boolean => {
      const described = describeHostKey(key);
      try {
        const verdict = checkHostKey(
          where,
          described,
          options.hostKeys.hostKey(hostId),
          options.expectedHostKey,
        );
        seen = { ...described, verdict };
        return true;
      } catch (err) {
        refused = err as FieldBackupError;
        return false;
      }
    },
  };
  try {
    await new Promise<void>((resolve, reject) => {
      client.once('ready', resolve);
      client.once('error', reject);
      client.connect(config);
    });
  } catch (err) {
    client.end();
    throw refused ?? connectError(err, where);
  }
  // Later failures (keepalive timeout, reset) reach the pending SFTP requests as errors.
  client.on('error', () => undefined);
  try {
    const sftp = await new Promise<SFTPWrapper>((resolve, reject) =>
      client.sftp((err, s) => (err === undefined ? resolve(s) : reject(err))),
    );
    sftp.on('error', () => undefined);
    const hostKey = seen as SeenHostKey & { verdict: HostKeyVerdict };
    if (hostKey.verdict !== 'pinned') {
      await options.hostKeys.pinHostKey({
        host: hostId,
        algorithm: hostKey.algorithm,
        fingerprint: hostKey.fingerprint,
        pinnedAt: options.clock.now().getTime(),
      });
    }
    return { client, sftp, hostKey };
  } catch (err) {
    client.end();
    throw new FieldBackupError(
      'E_UNREACHABLE',
      `${where} accepted the login but not SFTP: ${errorMessage(err)}`,
      { subject: { device: where }, retryable: true, cause: err },
    );
  }
}

async function authConfig(
  options: SftpConnectOptions,
  where: string,
): Promise<Pick<ConnectConfig, 'privateKey' | 'agent'>> {
  const env = options.env ?? process.env;
  const candidates =
    options.identity !== undefined
      ? [options.identity]
      : DEFAULT_KEYS.map((k) => join(env.HOME ?? homedir(), '.ssh', k));
  for (const path of candidates) {
    try {
      const privateKey = await fs.readFile(path);
      const parsed = ssh2.utils.parseKey(privateKey);
      if (!(parsed instanceof Error)) return { privateKey };
      throw new FieldBackupError(
        'E_AUTH',
        `${path} is not a usable private key (${parsed.message}; the box needs a key without passphrase)`,
        { subject: { path, field: 'identity' } },
      );
    } catch (err) {
      if (err instanceof FieldBackupError) throw err;
      if (options.identity !== undefined || errnoOf(err) !== 'ENOENT') {
        throw new FieldBackupError(
          'E_AUTH',
          `cannot read the SSH key ${path}: ${errnoOf(err) ?? errorMessage(err)}`,
          { subject: { path, field: 'identity' }, cause: err },
        );
      }
    }
  }
  const agent = env.SSH_AUTH_SOCK;
  if (agent !== undefined && agent !== '') return { agent };
  throw new FieldBackupError(
    'E_AUTH',
    `no SSH key to log in to ${where}: give one with --identity (or sync.identity in the config)`,
    { subject: { field: 'identity' } },
  );
}

function connectError(err: unknown, where: string): FieldBackupError {
  const level = (err as { level?: unknown }).level;
  if (level === 'client-authentication') {
    return new FieldBackupError(
      'E_AUTH',
      `${where} refused the box's SSH key (add its public key to the NAS user's ~/.ssh/authorized_keys)`,
      { subject: { device: where, field: 'identity' }, cause: err },
    );
  }
  return new FieldBackupError(
    'E_UNREACHABLE',
    `cannot reach ${where}: ${errnoOf(err) ?? errorMessage(err)}`,
    { subject: { device: where }, retryable: true, cause: err },
  );
}
