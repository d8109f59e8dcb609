import { randomBytes } from 'node:crypto';
import { FieldBackupError, type BoxId, type VaultId } from '../core/index.js';
import { vaultErrorCode, wrapError } from '../platform/index.js';
import {
  MARKER_FILE,
  PHOTOS_DIR,
  QUARANTINE_DIR,
  STATE_DIR,
  TMP_DIR,
  markerText,
  newMarker,
  parseMarker,
  type VaultMarker,
} from '../vault/index.js';
import type { Remote } from './remote.js';
import { DirCache } from './dir-cache.js';
import { remoteDirname } from './remote-path.js';

const MAX_MARKER_BYTES = 1 << 20;
/** Temporaries of another box older than this are from a run that died; newer ones may be in use. */
const FOREIGN_TEMP_AGE_MS = 24 * 3600_000;

export const MANIFESTS_DIR = `${STATE_DIR}/manifests`;
export const TEMP_DIR = `${STATE_DIR}/${TMP_DIR}`;
export const INTENTS_DIR = `${STATE_DIR}/intents`;

export interface OpenRemoteVaultOptions {
  /** Whose temporaries this opening makes (the syncing box); readers that write nothing leave it out. */
  readonly owner?: BoxId;
  /** Make the folder a vault when it is not one yet (it must exist). */
  readonly init?: boolean;
  readonly label?: string;
  readonly now: Date;
}

/**
 * The NAS vault: the same layout as an SSD vault (marker, Photos/, .fieldbackup/), reached
 * through a Remote. Per-box manifests live in .fieldbackup/manifests/<box id>/.
 */
export class RemoteVault {
  /** The NAS's folders as this sync knows them (listed once, kept up to date). */
  readonly dirs: DirCache;

  private constructor(
    readonly remote: Remote,
    readonly marker: VaultMarker,
    private readonly owner: string,
  ) {
    this.dirs = new DirCache(remote);
  }

  static async open(remote: Remote, options: OpenRemoteVaultOptions): Promise<RemoteVault> {
    const where = remote.location;
    const root = await remote.stat('').catch((err: unknown) => {
      throw wrapError(err, 'E_UNREACHABLE', `NAS vault ${where} does not answer`, { vault: where });
    });
    if (root?.kind !== 'directory') {
      throw new FieldBackupError(
        'E_VAULT_MISSING',
        `NAS folder ${where} is missing (is the share mounted, the path right?)`,
        { subject: { vault: where }, retryable: true },
      );
    }
    let marker: VaultMarker;
    if ((await remote.stat(MARKER_FILE)) === undefined) {
      if (options.init !== true) {
        throw new FieldBackupError(
          'E_NOT_A_VAULT',
          `${where} is not a vault yet (no ${MARKER_FILE}); run the sync once with --init to make it one`,
          { subject: { vault: where } },
        );
      }
      marker = newMarker(where, { label: options.label ?? 'NAS', now: options.now });
    } else {
      const text = (await remote.readFile(MARKER_FILE, MAX_MARKER_BYTES)).toString('utf8');
      marker = parseMarker(text, `${where}/${MARKER_FILE}`, where);
    }
    const vault = new RemoteVault(remote, marker, options.owner ?? 'reader');
    try {
      await remote.mkdirs(PHOTOS_DIR);
      await remote.mkdirs(TEMP_DIR);
      await remote.mkdirs(MANIFESTS_DIR);
      await remote.mkdirs(INTENTS_DIR);
      if (options.init === true && (await remote.stat(MARKER_FILE)) === undefined)
        await vault.writeNew(MARKER_FILE, markerText(marker), 'marker');
    } catch (err) {
      throw vault.problem(err, 'cannot be prepared');
    }
    return vault;
  }

  get id(): VaultId {
    return this.marker.id;
  }

  get label(): string {
    return this.marker.label;
  }

  photoPath(relPath: string): string {
    return `${PHOTOS_DIR}/${relPath}`;
  }

  /**
   * A fresh temporary name, owned by this box (so other boxes leave it alone while it is young);
   * random, so a run after a power cut never meets its predecessor's names.
   */
  tempPath(what: string): string {
    return `${TEMP_DIR}/${this.owner}-${randomBytes(8).toString('hex')}-${what}.part`;
  }

  /**
   * Removes this box's temporaries (its earlier runs died or were stopped) and other boxes'
   * that are older than a day. Returns how many.
   */
  async removeTemporaries(box: BoxId, nowMs: number): Promise<number> {
    let removed = 0;
    for (const e of (await this.remote.list(TEMP_DIR)) ?? []) {
      const mine = e.name.startsWith(`${box}-`);
      if (e.kind === 'file' && (mine || nowMs - e.mtimeMs > FOREIGN_TEMP_AGE_MS)) {
        await this.remote.remove(`${TEMP_DIR}/${e.name}`);
        removed++;
      }
    }
    return removed;
  }

  /**
   * Writes a text file under a name that must be new (given whole, or in chunks): temp → fsync
   * → place (never replaces).
   * Throws EEXIST when the name is taken.
   */
  async writeNew(path: string, text: string | Iterable<string>, what: string): Promise<void> {
    const tmp = this.tempPath(what);
    const file = await this.remote.create(tmp);
    try {
      for (const chunk of typeof text === 'string' ? [text] : text)
        await file.write(Buffer.from(chunk));
      await file.close({ fsync: true });
    } catch (err) {
      await file.abort();
      await this.remote.remove(tmp).catch(() => undefined);
      throw err;
    }
    await this.dirs.ensureDir(remoteDirname(path));
    if ((await this.remote.place(tmp, path)) === 'exists') {
      await this.remote.remove(tmp);
      throw Object.assign(new Error(`${path} exists`), { code: 'EEXIST' });
    }
  }

  /** Moves a copy that read back wrong out of Photos/, keeping its bytes. Returns where it went. */
  async quarantine(relPath: string, now: Date): Promise<string> {
    const stamp = now.toISOString().replace(/[:.]/g, '-');
    const target = `${STATE_DIR}/${QUARANTINE_DIR}/${stamp}/${relPath}`;
    await this.dirs.ensureDir(remoteDirname(target));
    await this.remote.place(this.photoPath(relPath), target);
    this.dirs.note(this.photoPath(relPath), undefined);
    return target;
  }

  problem(err: unknown, what: string, relPath?: string): FieldBackupError {
    const code =
      (err as { code?: unknown }).code === 'ECONNRESET' ? 'E_UNREACHABLE' : vaultErrorCode(err);
    return wrapError(err, code, `NAS vault ${this.label} (${this.remote.location}): ${what}`, {
      vault: this.label,
      ...(relPath === undefined ? {} : { path: relPath }),
    });
  }
}
