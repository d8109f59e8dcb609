import type { Clock } from '../core/index.js';
import type { HostKeyStore } from './host-key.js';
import { LocalRemote } from './local-remote.js';
import type { Remote } from './remote.js';
import { SftpRemote } from './sftp-remote.js';
import { formatTarget, type SyncTarget } from './target.js';

export interface RemoteOptions {
  /** SFTP: the private key to log in with. */
  readonly identity?: string;
  /** SFTP: the host key fingerprint to require (SHA256:…). */
  readonly hostKey?: string;
  readonly hostKeys: HostKeyStore;
  readonly clock: Clock;
  readonly env?: NodeJS.ProcessEnv;
  /** SFTP: verify by reading back even when the NAS could hash. */
  readonly noRemoteHash?: boolean;
  /** SFTP: how long connecting may take, and after how long a silent network counts as lost. */
  readonly timeoutMs?: number;
}

/** Opens the transport a target names: a mounted folder as is, an SFTP URL by logging in. */
export async function openRemote(target: SyncTarget, options: RemoteOptions): Promise<Remote> {
  if (target.kind === 'path') return new LocalRemote(target.path);
  return SftpRemote.connect(target, formatTarget(target), {
    hostKeys: options.hostKeys,
    clock: options.clock,
    identity: options.identity,
    expectedHostKey: options.hostKey,
    env: options.env,
    noRemoteHash: options.noRemoteHash,
    timeoutMs: options.timeoutMs,
    keepaliveMs: options.timeoutMs,
  });
}
