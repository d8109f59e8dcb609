import { z } from 'zod';
import { errorMessage, type BoxId, type ContentHash, type TierName } from '../core/index.js';
import { toolVersion } from '../platform/index.js';
import { MANIFESTS_DIR, type RemoteVault } from './remote-vault.js';

export const MANIFEST_FORMAT_VERSION = 1;
const MAX_MANIFEST_BYTES = 512 * 1024 * 1024;
const GENERATION_RE = /^(\d{6,})\.json$/;

const hash = z.string().regex(/^[0-9a-f]{32}$/);
const fileRefSchema = z.object({
  /** The source's name (card label, folder name) and its id in the box's catalog. */
  source: z.string(),
  sourceId: z.string(),
  relPath: z.string(),
  captureTime: z.number().optional(),
});
const objectSchema = z.object({
  hash,
  size: z.number().int().min(0),
  /** Where the object is, under the NAS vault's Photos/. */
  path: z.string().min(1),
  mtimeMs: z.number(),
  tier: z.string(),
  files: z.array(fileRefSchema),
});
const moveSchema = z.object({ hash, from: z.string().min(1), to: z.string().min(1) });
const generationSchema = z.object({
  format: z.literal('fieldbackup-manifest'),
  formatVersion: z.number().int().min(1),
  box: z.object({ id: z.string().min(1), name: z.string() }),
  generation: z.number().int().min(1),
  created: z.string(),
  tool: z.string(),
  objects: z.array(objectSchema),
  moves: z.array(moveSchema),
});

export interface ManifestFileRef {
  readonly source: string;
  readonly sourceId: string;
  readonly relPath: string;
  readonly captureTime?: number;
}

/** One object a box has on the NAS, with the box's files whose content it is. */
export interface ManifestObject {
  readonly hash: ContentHash;
  readonly size: number;
  readonly path: string;
  readonly mtimeMs: number;
  readonly tier: TierName;
  readonly files: readonly ManifestFileRef[];
}

/** An object a box moved (a sidecar version made way for a newer one), declared before the move. */
export interface ManifestMove {
  readonly hash: ContentHash;
  readonly from: string;
  readonly to: string;
}

/**
 * One generation of a box's manifest: what the box added to the NAS since its previous
 * generation. Generations are never rewritten; the union of a box's generations is its
 * manifest, the union of all boxes' manifests is the archive.
 */
export interface ManifestGeneration {
  readonly format: 'fieldbackup-manifest';
  readonly formatVersion: number;
  readonly box: { readonly id: BoxId; readonly name: string };
  readonly generation: number;
  readonly created: string;
  readonly tool: string;
  readonly objects: readonly ManifestObject[];
  readonly moves: readonly ManifestMove[];
}

export function boxManifestDir(box: BoxId): string {
  return `${MANIFESTS_DIR}/${box}`;
}

/**
 * Writes the box's next manifest generation: a new file (temp → fsync → a rename that never
 * replaces), so a reader sees it whole or not at all. Returns its number.
 */
export async function writeGeneration(
  vault: RemoteVault,
  box: { readonly id: BoxId; readonly name: string },
  content: { readonly objects: readonly ManifestObject[]; readonly moves: readonly ManifestMove[] },
  now: Date,
): Promise<number> {
  const dir = boxManifestDir(box.id);
  const existing = ((await vault.remote.list(dir)) ?? [])
    .map((e) => GENERATION_RE.exec(e.name))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => Number(m[1]));
  for (let generation = Math.max(0, ...existing) + 1; ; generation++) {
    const doc: ManifestGeneration = {
      format: 'fieldbackup-manifest',
      formatVersion: MANIFEST_FORMAT_VERSION,
      box,
      generation,
      created: now.toISOString(),
      tool: toolVersion(),
      objects: content.objects,
      moves: content.moves,
    };
    try {
      await vault.writeNew(
        `${dir}/${String(generation).padStart(6, '0')}.json`,
        manifestText(doc),
        'manifest',
      );
      return generation;
    } catch (err) {
      // Only a generation number taken meanwhile (this box's own earlier life) is tried again.
      if (
        (err as { code?: unknown }).code !== 'EEXIST' ||
        generation > Math.max(0, ...existing) + 10
      )
        throw err;
    }
  }
}

/** Objects serialised per chunk: a first sync's generation of 20,000 objects never becomes one big string. */
const OBJECTS_PER_CHUNK = 200;

/** The generation as JSON.stringify would write it (and a newline), in chunks. */
export function* manifestText(doc: ManifestGeneration): Generator<string> {
  const { objects, moves, ...head } = doc;
  let chunk = `${JSON.stringify(head).slice(0, -1)},"objects":[`;
  for (const [i, o] of objects.entries()) {
    chunk += (i === 0 ? '' : ',') + JSON.stringify(o);
    if ((i + 1) % OBJECTS_PER_CHUNK === 0) {
      yield chunk;
      chunk = '';
    }
  }
  yield `${chunk}],"moves":${JSON.stringify(moves)}}\n`;
}

/**
 * Every box's generations on the NAS, in order. A generation that cannot be read or is not a
 * manifest is reported (naming the file) and left out; so is a gap in a box's numbering.
 */
export async function readManifests(
  vault: RemoteVault,
  onProblem: (message: string, path: string) => void,
): Promise<ManifestGeneration[]> {
  const out: ManifestGeneration[] = [];
  for (const dir of (await vault.remote.list(MANIFESTS_DIR)) ?? []) {
    if (dir.kind !== 'directory') continue;
    const files = ((await vault.remote.list(`${MANIFESTS_DIR}/${dir.name}`)) ?? [])
      .map((e) => ({ e, m: GENERATION_RE.exec(e.name) }))
      .filter((x): x is { e: (typeof x)['e']; m: RegExpExecArray } => x.m !== null)
      .map(({ e, m }) => ({ name: e.name, number: Number(m[1]) }))
      .sort((a, b) => a.number - b.number);
    let expected = 1;
    for (const f of files) {
      const path = `${MANIFESTS_DIR}/${dir.name}/${f.name}`;
      if (f.number !== expected)
        onProblem(
          `manifest generations ${expected}–${f.number - 1} of box ${dir.name} are missing`,
          path,
        );
      expected = f.number + 1;
      const generation = await readGeneration(vault, path, onProblem);
      if (generation === undefined) continue;
      if (generation.box.id !== dir.name || generation.generation !== f.number) {
        onProblem(
          `manifest ${path} names box ${generation.box.id} generation ${generation.generation}; left out`,
          path,
        );
        continue;
      }
      out.push(generation);
    }
  }
  return out;
}

async function readGeneration(
  vault: RemoteVault,
  path: string,
  onProblem: (message: string, path: string) => void,
): Promise<ManifestGeneration | undefined> {
  let doc: unknown;
  try {
    doc = JSON.parse((await vault.remote.readFile(path, MAX_MANIFEST_BYTES)).toString('utf8'));
  } catch (err) {
    onProblem(`manifest ${path} cannot be read: ${errorMessage(err)}; left out`, path);
    return undefined;
  }
  const parsed = generationSchema.safeParse(doc);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    onProblem(
      `manifest ${path}: field "${issue?.path.join('.') ?? ''}": ${issue?.message ?? 'invalid'}; left out`,
      path,
    );
    return undefined;
  }
  if (parsed.data.formatVersion > MANIFEST_FORMAT_VERSION) {
    onProblem(
      `manifest ${path} has format version ${parsed.data.formatVersion} (a newer FieldBackup wrote it); left out`,
      path,
    );
    return undefined;
  }
  // The schema checked the shapes; ids and hashes are branded here.
  return parsed.data as unknown as ManifestGeneration;
}
