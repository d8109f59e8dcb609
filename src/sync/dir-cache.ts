import type { Remote, RemoteStat } from './remote.js';
import { remoteDirname } from './remote-path.js';

/**
 * What the NAS folders hold, listed once per folder and kept up to date with what this sync
 * places there: a look-up costs no round trip, 10,000 files need 10,000 fewer stats. Valid
 * while the NAS lock keeps other boxes out; a surprise (a name found taken) forgets the folder.
 */
export class DirCache {
  private readonly listings = new Map<string, Promise<Map<string, RemoteStat>>>();
  private readonly made = new Set<string>();

  constructor(private readonly remote: Remote) {}

  async stat(path: string): Promise<RemoteStat | undefined> {
    return (await this.listing(remoteDirname(path))).get(nameOf(path));
  }

  /** mkdir -p, once per folder and run. */
  async ensureDir(dir: string): Promise<void> {
    if (dir === '' || this.made.has(dir)) return;
    await this.remote.mkdirs(dir);
    for (let d = dir; d !== '' && !this.made.has(d); d = remoteDirname(d)) this.made.add(d);
  }

  /** Records what this sync did at a path (a file placed there, or moved away). */
  note(path: string, stat: RemoteStat | undefined): void {
    const dir = remoteDirname(path);
    void this.listings.get(dir)?.then((m) => {
      if (stat === undefined) m.delete(nameOf(path));
      else m.set(nameOf(path), stat);
    });
  }

  /** Lists the folder of `path` again next time. */
  forget(path: string): void {
    this.listings.delete(remoteDirname(path));
  }

  private listing(dir: string): Promise<Map<string, RemoteStat>> {
    let listing = this.listings.get(dir);
    if (listing === undefined) {
      listing = this.remote.list(dir).then((entries) => {
        if (entries !== undefined) this.made.add(dir);
        return new Map((entries ?? []).map((e) => [e.name, e]));
      });
      this.listings.set(dir, listing);
      listing.catch(() => this.listings.delete(dir));
    }
    return listing;
  }
}

function nameOf(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}
