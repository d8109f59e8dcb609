import { hostname } from 'node:os';
import { join } from 'node:path';
import type { Catalog } from '../catalog/index.js';
import {
  isFieldBackupError,
  silentLogger,
  systemClock,
  type Clock,
  type Logger,
  type SyncDoneEvent,
  type SyncEvent,
  type TierName,
} from '../core/index.js';
import { acquireVaultLock } from '../vault/index.js';
import { NasLock } from './nas-lock.js';
import { openRemote } from './open-remote.js';
import type { Remote } from './remote.js';
import { RemoteVault } from './remote-vault.js';
import { runSync } from './sync-run.js';
import { parseTarget, type SyncTarget } from './target.js';

export interface SyncOptions {
  readonly catalog: Catalog;
  /** The NAS vault: a mounted folder, sftp://user@host[:port]/path, or a parsed target. */
  readonly to: string | SyncTarget;
  /** SSD vault roots to read from; default every vault the catalog knows, where it was last seen. */
  readonly vaults?: readonly string[];
  /** SFTP: private key (default ~/.ssh/id_ed25519, id_ecdsa, id_rsa, then ssh-agent). */
  readonly identity?: string;
  /** SFTP: require this host key fingerprint (SHA256:…) and pin it. */
  readonly hostKey?: string;
  /** Make the target a vault when it is not one yet (an existing folder). */
  readonly init?: boolean;
  /** The NAS vault's label when `init` makes it. */
  readonly label?: string;
  /** This box's name in the NAS manifests (default: the host name, kept once chosen). */
  readonly boxName?: string;
  readonly tierOrder?: readonly TierName[];
  /** Objects in flight at once (default 16; large ones also share 64 MiB of bytes in flight). */
  readonly concurrency?: number;
  /** Stops after the objects in flight are abandoned; run again to resume. */
  readonly signal?: AbortSignal;
  readonly onEvent?: (event: SyncEvent) => void;
  readonly clock?: Clock;
  readonly logger?: Logger;
  readonly env?: NodeJS.ProcessEnv;
  /** A transport to use instead of opening `to` (a NAS behind another protocol, a fault-injecting one). */
  readonly remote?: Remote;
  /** SFTP: verify by reading back even when the NAS could hash (NAS accounts without a shell). */
  readonly noRemoteHash?: boolean;
  /** SFTP: how long connecting may take and after how long a silent network counts as lost (ms). */
  readonly timeoutMs?: number;
}

/**
 * Brings the NAS vault up to date with this box: every object the NAS lacks is sent (critical
 * tier first), placed without replacing anything, verified on the NAS and recorded; then this
 * box's manifest generation is written. Resumable: an interrupted run (signal, network, power)
 * redoes at most the objects in flight, and a finished one sends 0 bytes when run again.
 *
 * Throws a FieldBackupError when the sync cannot start (E_UNREACHABLE, E_HOST_KEY, E_AUTH,
 * E_NOT_A_VAULT, E_VAULT_LOCKED …); everything after that is in the events and the result.
 */
export async function syncToNas(options: SyncOptions): Promise<SyncDoneEvent> {
  const { catalog } = options;
  const clock = options.clock ?? systemClock;
  const target = typeof options.to === 'string' ? parseTarget(options.to) : options.to;
  const box = await catalog.sync.box(hostname(), options.boxName);
  const localLock = await acquireVaultLock(join(catalog.home, 'sync.lock'), `sync of ${box.name}`);
  try {
    const remote =
      options.remote ?? (await openRemote(target, { ...options, hostKeys: catalog.sync, clock }));
    try {
      const vault = await RemoteVault.open(remote, { ...options, owner: box.id, now: clock.now() });
      // Whatever the NAS answers while the sync sets up or winds down is reported as its problem.
      const asProblem = (err: unknown): never => {
        throw isFieldBackupError(err) ? err : vault.problem(err, 'sync failed');
      };
      const lock = await NasLock.acquire(vault, box, clock.now()).catch(asProblem);
      try {
        return await runSync({
          catalog,
          vault,
          box,
          clock,
          logger: options.logger ?? silentLogger,
          concurrency: options.concurrency ?? 16,
          emit: (e) => options.onEvent?.(e),
          vaults: options.vaults,
          tierOrder: options.tierOrder,
          signal: options.signal,
        }).catch(asProblem);
      } finally {
        await lock.release();
      }
    } finally {
      if (options.remote === undefined) await remote.close();
    }
  } finally {
    await localLock.release();
  }
}
