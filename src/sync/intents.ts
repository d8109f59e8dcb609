import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { errorMessage, type BoxId, type ContentHash } from '../core/index.js';
import type { Archive } from './archive.js';
import { remoteDirname } from './remote-path.js';
import { INTENTS_DIR, type RemoteVault } from './remote-vault.js';

/** Objects announced per intent file: what a run cut at any point may have placed without listing. */
export const INTENT_BATCH = 256;
const MAX_INTENT_BYTES = 16 * 1024 * 1024;

const intentSchema = z.object({
  box: z.string(),
  objects: z.array(
    z.object({
      hash: z.string().regex(/^[0-9a-f]{32}$/),
      size: z.number().int().min(0),
      path: z.string().min(1),
    }),
  ),
});

export interface Intent {
  readonly hash: ContentHash;
  readonly size: number;
  /** The path the object goes to or beside (collision and conflict names share its folder). */
  readonly path: string;
}

/**
 * Announces on the NAS, before sending them, objects this box is about to place. A run cut
 * between placing an object and listing it in a manifest leaves the object where no manifest
 * says; the next sync of any box finds it through the intent (same folder, same size, same
 * hash) instead of storing it a second time.
 */
export class IntentLog {
  private declared = 0;
  private chain: Promise<void> = Promise.resolve();

  /** `describe(i)` gives the intent of the i-th object to send (undefined: nothing to announce). */
  constructor(
    private readonly vault: RemoteVault,
    private readonly box: BoxId,
    private readonly count: number,
    private readonly describe: (index: number) => Intent | undefined,
  ) {}

  /** Resolves once the object at `index` (and its batch) is announced. */
  cover(index: number): Promise<void> {
    this.chain = this.chain.then(async () => {
      while (this.declared <= index && this.declared < this.count) {
        const end = Math.min(this.count, this.declared + INTENT_BATCH);
        const batch: Intent[] = [];
        for (let i = this.declared; i < end; i++) {
          const intent = this.describe(i);
          if (intent !== undefined) batch.push(intent);
        }
        const name = `${INTENTS_DIR}/${this.box}-${randomBytes(6).toString('hex')}.json`;
        await this.vault.writeNew(
          name,
          `${JSON.stringify({ box: this.box, objects: batch })}\n`,
          'intent',
        );
        this.declared = end;
      }
    });
    return this.chain;
  }
}

/** Removes this box's intents once a manifest generation lists what they announced. */
export async function removeIntents(vault: RemoteVault, box: BoxId): Promise<void> {
  for (const e of (await vault.remote.list(INTENTS_DIR)) ?? [])
    if (e.name.startsWith(`${box}-`)) await vault.remote.remove(`${INTENTS_DIR}/${e.name}`);
}

/**
 * Finds the objects that intents announced and no manifest lists: a file of the same size
 * and hash in the announced folder is that object, and the archive learns where it is.
 */
export async function resolveIntents(
  vault: RemoteVault,
  archive: Archive,
  onProblem: (message: string, path: string) => void,
): Promise<number> {
  const remote = vault.remote;
  const listings = new Map<string, Awaited<ReturnType<typeof remote.list>>>();
  let found = 0;
  for (const e of (await remote.list(INTENTS_DIR)) ?? []) {
    const file = `${INTENTS_DIR}/${e.name}`;
    let objects: Intent[];
    try {
      objects = intentSchema.parse(
        JSON.parse((await remote.readFile(file, MAX_INTENT_BYTES)).toString('utf8')),
      ).objects as Intent[];
    } catch (err) {
      onProblem(`intent file ${file} cannot be read: ${errorMessage(err)}; left out`, file);
      continue;
    }
    for (const intent of objects) {
      if (archive.object(intent.hash) !== undefined) continue;
      const dir = remoteDirname(vault.photoPath(intent.path));
      if (!listings.has(dir)) listings.set(dir, await remote.list(dir));
      for (const candidate of listings.get(dir) ?? []) {
        if (candidate.kind !== 'file' || candidate.size !== intent.size) continue;
        const path = `${dir}/${candidate.name}`;
        if ((await remote.hash(path)).hash !== intent.hash) continue;
        archive.locate({
          hash: intent.hash,
          size: intent.size,
          mtimeMs: candidate.mtimeMs,
          tier: '',
          path: path.slice(vault.photoPath('').length),
        });
        found++;
        break;
      }
    }
  }
  return found;
}
