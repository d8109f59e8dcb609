import { Catalog, homeDir } from '../../catalog/index.js';
import { archiveStatus, type ArchiveStatus } from '../../sync/index.js';
import { EXIT_FAILED, EXIT_OK, formatBytes, jsonLine, type CliIo } from '../io.js';

export interface ArchiveStatusFlags {
  readonly to: string;
  readonly identity?: string;
  readonly hostKey?: string;
  readonly home?: string;
  readonly json?: boolean;
}

/** `fieldbackup archive status`: what the NAS holds from which box. Exit 1 when this box has objects the NAS lacks. */
export async function archiveStatusCommand(io: CliIo, flags: ArchiveStatusFlags): Promise<number> {
  const catalog = await Catalog.open(homeDir(flags.home, io.env));
  try {
    const status = await archiveStatus({
      catalog,
      to: flags.to,
      identity: flags.identity,
      hostKey: flags.hostKey,
      env: io.env,
    });
    if (flags.json === true) jsonLine(io, { event: 'status', ...status });
    else io.stdout.write(human(status));
    for (const p of status.problems) io.stderr.write(`warning: ${p}\n`);
    return status.thisBox.missing === 0 ? EXIT_OK : EXIT_FAILED;
  } finally {
    await catalog.close();
  }
}

function human(s: ArchiveStatus): string {
  const lines = [
    `NAS vault "${s.vault.label}" (${s.target}): ${s.objects} objects, ${formatBytes(s.bytes)}, from ${s.boxes.length} ${s.boxes.length === 1 ? 'box' : 'boxes'}` +
      (s.conflictCopies > 0
        ? `; ${s.conflictCopies} older sidecar versions kept beside the current ones`
        : ''),
  ];
  for (const b of s.boxes) {
    lines.push(
      `  ${b.name}${b.thisBox ? ' (this box)' : ''}: ${b.files} files, ${formatBytes(b.bytes)}; last sync ${b.lastSync}, ${b.generations} generations`,
    );
    for (const src of b.sources)
      lines.push(`    ${src.name}: ${src.files} files, ${formatBytes(src.bytes)}`);
  }
  lines.push(
    s.thisBox.missing === 0
      ? `This box (${s.thisBox.name}): all ${s.thisBox.objects} objects are on the NAS.`
      : `This box (${s.thisBox.name}): ${s.thisBox.missing} of ${s.thisBox.objects} objects are not on the NAS yet (${formatBytes(s.thisBox.missingBytes)}); run "fieldbackup sync".`,
  );
  return `${lines.join('\n')}\n`;
}
