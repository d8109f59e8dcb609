import type { BoxId, ContentHash, TierName } from '../core/index.js';
import { conflictBase } from './conflict-name.js';
import type { ManifestGeneration, ManifestMove, ManifestObject } from './manifest.js';

/** An object the archive holds: where it is now, and which boxes list it. */
export interface ArchiveObject {
  readonly hash: ContentHash;
  readonly size: number;
  readonly mtimeMs: number;
  readonly tier: TierName;
  path: string;
  readonly boxes: Set<BoxId>;
}

/** What one box's manifest says: its generations and its files (source + path → latest content). */
export interface ArchiveBox {
  readonly id: BoxId;
  name: string;
  generations: number;
  lastSync: string;
  readonly files: Map<string, ContentHash>;
  readonly sources: Map<string, { files: number; bytes: number }>;
}

const fileKey = (sourceId: string, relPath: string): string => `${sourceId}\u0000${relPath}`;

/**
 * The union of every box's manifest: each object once, at the path it has now (declared
 * moves applied), and per box the files it listed. The sync adds to it as it places objects.
 */
export class Archive {
  private readonly objects = new Map<ContentHash, ArchiveObject>();
  private readonly byPath = new Map<string, ContentHash>();
  /** Base path of a sidecar → the older versions kept beside it. */
  private readonly kept = new Map<string, Set<ContentHash>>();
  private readonly boxMap = new Map<BoxId, ArchiveBox>();
  private readonly listings = new Map<BoxId, Set<string>>();
  private readonly moveList: ManifestMove[] = [];

  static build(generations: readonly ManifestGeneration[]): Archive {
    const archive = new Archive();
    // Oldest first, so that the first box to claim a path for an object keeps it.
    const ordered = [...generations].sort(
      (a, b) =>
        a.created.localeCompare(b.created) ||
        a.box.id.localeCompare(b.box.id) ||
        a.generation - b.generation,
    );
    for (const g of ordered) {
      const box = archive.box(g.box.id, g.box.name);
      box.generations++;
      if (g.created > box.lastSync) box.lastSync = g.created;
      for (const o of g.objects) archive.list(g.box.id, o);
    }
    for (const g of ordered) archive.moveList.push(...g.moves);
    archive.applyMoves(archive.moveList);
    return archive;
  }

  object(hash: ContentHash): ArchiveObject | undefined {
    return this.objects.get(hash);
  }

  /** The object at a path under Photos/, as the manifests have it. */
  holder(path: string): ArchiveObject | undefined {
    const hash = this.byPath.get(path);
    return hash === undefined ? undefined : this.objects.get(hash);
  }

  get boxes(): readonly ArchiveBox[] {
    return [...this.boxMap.values()];
  }

  get size(): number {
    return this.objects.size;
  }

  *allObjects(): Iterable<ArchiveObject> {
    yield* this.objects.values();
  }

  /** A box's name as its manifests give it. */
  boxName(id: BoxId): string {
    return this.boxMap.get(id)?.name ?? id;
  }

  /**
   * Knows where an object is without a box listing it yet (this box verified it there, but
   * the run that did so ended before writing its manifest).
   */
  locate(o: Omit<ManifestObject, 'files'>): void {
    if (this.objects.has(o.hash)) return;
    const { hash, size, mtimeMs, tier, path } = o;
    this.objects.set(hash, { hash, size, mtimeMs, tier, path, boxes: new Set() });
    this.index(hash, path);
  }

  /** The versions kept beside a sidecar's path under conflict names. */
  keptBeside(base: string): ArchiveObject[] {
    return [...(this.kept.get(base) ?? [])].flatMap((h) => this.objects.get(h) ?? []);
  }

  get moves(): readonly ManifestMove[] {
    return this.moveList;
  }

  /** Whether a box's manifest already lists this content for this file (or at all, without a file). */
  listed(box: BoxId, hash: ContentHash, file?: { sourceId: string; relPath: string }): boolean {
    const key = file === undefined ? hash : `${hash}\u0000${fileKey(file.sourceId, file.relPath)}`;
    return this.listings.get(box)?.has(key) === true;
  }

  /** Records what a box lists (from a manifest, or just placed by this sync). */
  list(boxId: BoxId, o: ManifestObject): void {
    this.locate(o);
    this.objects.get(o.hash)?.boxes.add(boxId);
    const listing = this.listings.get(boxId) ?? new Set<string>();
    this.listings.set(boxId, listing);
    listing.add(o.hash);
    const box = this.box(boxId, undefined);
    for (const f of o.files) {
      listing.add(`${o.hash}\u0000${fileKey(f.sourceId, f.relPath)}`);
      const key = fileKey(f.sourceId, f.relPath);
      const before = box.files.get(key);
      if (before === o.hash) continue;
      box.files.set(key, o.hash);
      const source = box.sources.get(f.source) ?? { files: 0, bytes: 0 };
      if (before === undefined) source.files++;
      source.bytes += o.size - (before === undefined ? 0 : (this.objects.get(before)?.size ?? 0));
      box.sources.set(f.source, source);
    }
  }

  /** Moves an object to a new path (a declared move carried out). */
  move(hash: ContentHash, to: string): void {
    const obj = this.objects.get(hash);
    if (obj === undefined) return;
    if (this.byPath.get(obj.path) === hash) this.byPath.delete(obj.path);
    const base = conflictBase(obj.path);
    if (base !== undefined) this.kept.get(base)?.delete(hash);
    obj.path = to;
    this.index(hash, to);
  }

  private index(hash: ContentHash, path: string): void {
    this.byPath.set(path, hash);
    const base = conflictBase(path);
    if (base === undefined) return;
    const set = this.kept.get(base) ?? new Set<ContentHash>();
    set.add(hash);
    this.kept.set(base, set);
  }

  private applyMoves(moves: readonly ManifestMove[]): void {
    // Chains (a→b, then b→c) resolve whatever order the boxes declared them in; bounded by their count.
    for (let round = 0, changed = true; changed && round <= moves.length; round++) {
      changed = false;
      for (const m of moves) {
        if (this.objects.get(m.hash)?.path === m.from) {
          this.move(m.hash, m.to);
          changed = true;
        }
      }
    }
  }

  private box(id: BoxId, name: string | undefined): ArchiveBox {
    let box = this.boxMap.get(id);
    if (box === undefined) {
      box = {
        id,
        name: name ?? id,
        generations: 0,
        lastSync: '',
        files: new Map(),
        sources: new Map(),
      };
      this.boxMap.set(id, box);
    } else if (name !== undefined) box.name = name;
    return box;
  }
}
