import {
  findStacksInFolder,
  resolveProfile,
  type FolderStacks,
} from '../../ingest/stacks/index.js';
import { createExifTool } from '../../media/index.js';
import { ExifToolHintReader, MediaPreviewSource } from '../../media/similarity/index.js';
import { cliConfig } from '../config.js';
import { EXIT_FAILED, EXIT_OK, type CliIo } from '../io.js';

export interface SimilarFlags {
  readonly json?: boolean;
  readonly profile?: string;
  readonly config?: string;
  readonly home?: string;
}

/** `fieldbackup similar <dir>`: bursts and brackets in any folder of images. */
export async function similarCommand(io: CliIo, dir: string, flags: SimilarFlags): Promise<number> {
  const config = await cliConfig(io, flags);
  const profile = resolveProfile(config.similarity, flags.profile);
  const exiftool = createExifTool();
  let found: FolderStacks;
  try {
    found = await findStacksInFolder(dir, {
      profile,
      previews: new MediaPreviewSource(exiftool),
      hints: new ExifToolHintReader(exiftool),
    });
  } finally {
    await exiftool.end();
  }
  for (const p of found.problems)
    io.stderr.write(`error: ${p.path}: ${p.message}; left out of every stack\n`);
  if (flags.json === true) {
    io.stdout.write(
      `${JSON.stringify({ groups: found.groups.map((g) => ({ kind: g.kind, files: g.files })) })}\n`,
    );
  } else {
    io.stdout.write(text(found, profile.name));
  }
  return found.problems.length > 0 ? EXIT_FAILED : EXIT_OK;
}

function text(found: FolderStacks, profile: string): string {
  const bursts = found.groups.filter((g) => g.kind === 'burst').length;
  const brackets = found.groups.length - bursts;
  const inStacks = found.groups.reduce((n, g) => n + g.files.length, 0);
  const lines = [
    `${found.images} images (${profile}): ${bursts} ${bursts === 1 ? 'burst' : 'bursts'}, ${brackets} ${brackets === 1 ? 'bracket' : 'brackets'}; ${inStacks} files in stacks`,
  ];
  found.groups.forEach((g, i) => {
    lines.push(`${g.kind} ${i + 1} (${g.files.length} files, pick ${g.pick}):`);
    for (const f of g.files) lines.push(`  ${f}`);
  });
  return `${lines.join('\n')}\n`;
}
