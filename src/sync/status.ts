import { hostname } from 'node:os';
import type { Catalog } from '../catalog/index.js';
import { systemClock, type BoxId, type Clock, type VaultId } from '../core/index.js';
import { Archive } from './archive.js';
import { readManifests } from './manifest.js';
import { openRemote, type RemoteOptions } from './open-remote.js';
import type { Remote } from './remote.js';
import { RemoteVault } from './remote-vault.js';
import { parseTarget, type SyncTarget } from './target.js';

export interface ArchiveStatusOptions extends Partial<
  Pick<RemoteOptions, 'identity' | 'hostKey' | 'env' | 'timeoutMs'>
> {
  readonly catalog: Catalog;
  readonly to: string | SyncTarget;
  readonly clock?: Clock;
  readonly remote?: Remote;
}

export interface ArchiveBoxStatus {
  readonly id: BoxId;
  readonly name: string;
  readonly generations: number;
  readonly lastSync: string;
  /** Files the box listed (each source path once, at its latest content), and their bytes. */
  readonly files: number;
  readonly bytes: number;
  readonly sources: readonly {
    readonly name: string;
    readonly files: number;
    readonly bytes: number;
  }[];
  readonly thisBox: boolean;
}

/** What a NAS vault holds, from which box; and how far this box is. */
export interface ArchiveStatus {
  readonly target: string;
  readonly vault: { readonly id: VaultId; readonly label: string };
  /** Distinct objects in the archive and their bytes (each stored once). */
  readonly objects: number;
  readonly bytes: number;
  /** Older versions of edited sidecars kept beside the current ones. */
  readonly conflictCopies: number;
  readonly boxes: readonly ArchiveBoxStatus[];
  /** This box's objects (by the catalog) that the NAS has, and those it lacks. */
  readonly thisBox: {
    readonly name: string;
    readonly objects: number;
    readonly missing: number;
    readonly missingBytes: number;
  };
  readonly problems: readonly string[];
}

/** Reads every box's manifest on the NAS (no lock, nothing written) and sums it up. */
export async function archiveStatus(options: ArchiveStatusOptions): Promise<ArchiveStatus> {
  const { catalog } = options;
  const clock = options.clock ?? systemClock;
  const target = typeof options.to === 'string' ? parseTarget(options.to) : options.to;
  const remote =
    options.remote ?? (await openRemote(target, { ...options, hostKeys: catalog.sync, clock }));
  try {
    const vault = await RemoteVault.open(remote, { now: clock.now() });
    const problems: string[] = [];
    const archive = Archive.build(await readManifests(vault, (message) => problems.push(message)));
    const me = await catalog.sync.box(hostname());
    let objects = 0;
    let missing = 0;
    let missingBytes = 0;
    for (const { hash, record } of catalog.allObjects()) {
      if (Object.keys(record.copies).length === 0) continue;
      objects++;
      if (archive.object(hash) === undefined && catalog.sync.pushed(vault.id, hash) === undefined) {
        missing++;
        missingBytes += record.size;
      }
    }
    let bytes = 0;
    let conflictCopies = 0;
    for (const o of archive.allObjects()) {
      bytes += o.size;
      if (/\.conflict-\d{8}-\d{6}-/.test(o.path)) conflictCopies++;
    }
    return {
      target: remote.location,
      vault: { id: vault.id, label: vault.label },
      objects: archive.size,
      bytes,
      conflictCopies,
      boxes: archive.boxes.map((b) => {
        const sources = [...b.sources]
          .map(([name, s]) => ({ name, ...s }))
          .sort((x, y) => x.name.localeCompare(y.name));
        return {
          id: b.id,
          name: b.name,
          generations: b.generations,
          lastSync: b.lastSync,
          files: sources.reduce((n, s) => n + s.files, 0),
          bytes: sources.reduce((n, s) => n + s.bytes, 0),
          sources,
          thisBox: b.id === me.id,
        };
      }),
      thisBox: { name: me.name, objects, missing, missingBytes },
      problems,
    };
  } finally {
    if (options.remote === undefined) await remote.close();
  }
}
