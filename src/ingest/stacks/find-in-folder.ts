import * as fs from 'node:fs/promises';
import { join, relative } from 'node:path';
import { errorMessage, FieldBackupError, type StackKind } from '../../core/index.js';
import {
  imageOfCapture,
  type HintReader,
  type PreviewSource,
  type SimilarityProfile,
} from '../../media/similarity/index.js';
import { errnoOf } from '../../platform/index.js';
import { captureKeyOf } from '../plan.js';
import { stackCaptures, type CaptureToStack } from './stack-captures.js';

/** A stack found in a folder: every file of its captures, relative to the folder. */
export interface FolderStack {
  readonly kind: StackKind;
  readonly files: readonly string[];
  /** The pick's image file. */
  readonly pick: string;
}

export interface FolderStacks {
  readonly groups: readonly FolderStack[];
  /** Captures with an image looked at. */
  readonly images: number;
  /** Images that could not be decoded: never grouped, reported. */
  readonly problems: readonly { readonly path: string; readonly message: string }[];
}

export interface FindInFolderOptions {
  readonly profile: SimilarityProfile;
  readonly previews: PreviewSource;
  readonly hints?: HintReader;
  readonly concurrency?: number;
}

/**
 * Finds the bursts and brackets in any folder of images (no vault, nothing written): files
 * are grouped into captures by folder and stem, each capture's image looked at once.
 */
export async function findStacksInFolder(
  dir: string,
  options: FindInFolderOptions,
): Promise<FolderStacks> {
  const files = await listFiles(dir);
  const byCapture = new Map<string, string[]>();
  for (const f of files) {
    const key = captureKeyOf(f);
    byCapture.set(key, [...(byCapture.get(key) ?? []), f]);
  }
  const captures: CaptureToStack[] = [];
  for (const [captureKey, relPaths] of byCapture) {
    const image = imageOfCapture(relPaths);
    if (image !== undefined)
      captures.push({ captureKey, files: relPaths.sort(), image: join(dir, image) });
  }
  if (captures.length === 0)
    throw new FieldBackupError('E_USAGE', `no images in ${dir}`, { subject: { path: dir } });
  const problems: { path: string; message: string }[] = [];
  const { stacks } = await stackCaptures(captures, {
    ...options,
    onProblem: (path, message) => problems.push({ path: relative(dir, path), message }),
  });
  return {
    groups: stacks.map((s) => ({
      kind: s.kind,
      files: s.members.flatMap((m) => captures[m]?.files ?? []),
      pick: relative(dir, captures[s.pick]?.image ?? ''),
    })),
    images: captures.length,
    problems: problems.sort((a, b) => a.path.localeCompare(b.path)),
  };
}

/** Every regular file under dir (relative, '/'-separated, sorted); hidden entries skipped. */
async function listFiles(dir: string): Promise<string[]> {
  const stat = await fs.stat(dir).catch((err: unknown) => {
    throw new FieldBackupError(
      errnoOf(err) === 'ENOENT' ? 'E_SOURCE_MISSING' : 'E_SOURCE_READ',
      `cannot open ${dir}: ${errorMessage(err)}`,
      { subject: { path: dir } },
    );
  });
  if (!stat.isDirectory())
    throw new FieldBackupError('E_USAGE', `${dir} is not a folder`, { subject: { path: dir } });
  const entries = await fs.readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter(
      (e) =>
        e.isFile() &&
        !relative(dir, join(e.parentPath, e.name))
          .split('/')
          .some((p) => p.startsWith('.')),
    )
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();
}
