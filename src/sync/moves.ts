import type { Archive } from './archive.js';
import { remoteDirname } from './remote-path.js';
import type { RemoteVault } from './remote-vault.js';

/**
 * Finishes moves a box declared but did not make (it stopped between writing the declaration
 * and renaming): the object is still at `from` and `to` is free, so the rename is made now.
 * A declared object found at neither place is reported.
 */
export async function completeDeclaredMoves(
  vault: RemoteVault,
  archive: Archive,
  onRepair: (message: string, path: string) => void,
): Promise<void> {
  const remote = vault.remote;
  for (const m of archive.moves) {
    if (archive.object(m.hash)?.path !== m.to) continue;
    const to = vault.photoPath(m.to);
    if ((await remote.stat(to)) !== undefined) continue;
    const from = vault.photoPath(m.from);
    const there = await remote.stat(from);
    if (there === undefined || (await remote.hash(from)).hash !== m.hash) {
      onRepair(`${m.to} is missing on the NAS (declared moved there from ${m.from})`, m.to);
      continue;
    }
    await remote.mkdirs(remoteDirname(to));
    if ((await remote.place(from, to)) === 'placed')
      onRepair(`finished moving ${m.from} to ${m.to} (an interrupted conflict resolution)`, m.to);
  }
}
