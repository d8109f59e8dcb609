import { Catalog, homeDir } from '../../catalog/index.js';
import { FieldBackupError, type RestoreEvent } from '../../core/index.js';
import { createExifTool, ExifToolMetadataReader } from '../../media/index.js';
import { restore } from '../../restore/index.js';
import { formatBytes, jsonLine, type CliIo } from '../io.js';

export interface RestoreFlags {
  readonly to: string;
  readonly vault?: readonly string[];
  readonly layout?: string;
  readonly home?: string;
  readonly json?: boolean;
}

export async function restoreCommand(
  io: CliIo,
  words: readonly string[],
  flags: RestoreFlags,
): Promise<number> {
  const layout = flags.layout ?? 'original';
  if (layout !== 'original' && layout !== 'vault')
    throw new FieldBackupError(
      'E_USAGE',
      `--layout must be "original" or "vault", not "${layout}"`,
      { subject: { field: 'layout' } },
    );
  const catalog = await Catalog.open(homeDir(flags.home, io.env));
  const exiftool = createExifTool();
  try {
    const done = await restore({
      catalog,
      query: words.join(' '),
      to: flags.to,
      vaults: flags.vault ?? [],
      layout: layout,
      reader: new ExifToolMetadataReader(exiftool),
      onEvent: (e) => (flags.json === true ? jsonLine(io, e) : human(io, e)),
    });
    return done.exitCode;
  } finally {
    await exiftool.end();
    await catalog.close();
  }
}

function human(io: CliIo, e: RestoreEvent): void {
  switch (e.event) {
    case 'start':
      io.stdout.write(
        `Restoring ${e.captures} captures (${e.files} files, ${formatBytes(e.bytes)}) to ${e.to} from ${e.vaults.map((v) => v.label).join(', ') || 'no vault'}\n`,
      );
      return;
    case 'file':
      if (e.outcome === 'present') io.stdout.write(`  already there: ${e.path}\n`);
      else
        io.stdout.write(
          `  ${e.path}${e.path.endsWith(e.original) ? '' : ` (from ${e.original})`} ← ${e.vault ?? '?'}\n`,
        );
      return;
    case 'warning':
    case 'error':
      io.stderr.write(`${e.event}: ${e.message}\n`);
      return;
    case 'done':
      io.stdout.write(
        `${e.restored} restored, ${e.present} already there, ${e.failed} failed, ${e.mismatched} with different metadata; ${formatBytes(e.bytes)}\n` +
          (e.exitCode === 0
            ? 'Every restored file matches its xxh128 and its catalogued metadata.\n'
            : 'NOT every file was restored identical: see the errors above.\n'),
      );
  }
}
