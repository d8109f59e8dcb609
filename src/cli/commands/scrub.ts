import { Catalog, homeDir } from '../../catalog/index.js';
import { type ScrubEvent } from '../../core/index.js';
import { scrub } from '../../ingest/index.js';
import { jsonLine, type CliIo, writeProblem } from '../io.js';

export interface ScrubFlags {
  readonly vault: readonly string[];
  readonly home?: string;
  readonly json?: boolean;
}

export async function scrubCommand(io: CliIo, flags: ScrubFlags): Promise<number> {
  const catalog = await Catalog.open(homeDir(flags.home, io.env));
  try {
    const done = await scrub({
      vaults: flags.vault,
      catalog,
      onEvent: (e) => (flags.json === true ? jsonLine(io, e) : human(io, e)),
    });
    return done.exitCode;
  } finally {
    await catalog.close();
  }
}

function human(io: CliIo, e: ScrubEvent): void {
  switch (e.event) {
    case 'start':
      io.stdout.write(
        `Scrubbing ${e.copies} copies on ${e.vaults.map((v) => v.label).join(', ')}\n`,
      );
      return;
    case 'problem':
      io.stderr.write(`problem: ${e.vault}: ${e.path}: ${e.problem} (${e.detail})\n`);
      return;
    case 'repaired':
      io.stdout.write(
        `repaired: ${e.vault}: ${e.path} from ${e.from}${e.quarantined === undefined ? '' : `; bad copy kept in ${e.quarantined}`}\n`,
      );
      return;
    case 'mhl-problem':
      io.stderr.write(`ASC MHL: ${e.vault}: ${e.path}: ${e.kind} (${e.detail})\n`);
      return;
    case 'warning':
    case 'error':
      writeProblem(io, e);
      return;
    case 'done':
      io.stdout.write(
        `${e.checked} copies checked: ${e.ok} good, ${e.repaired} repaired, ${e.unrepairable} could not be repaired${e.mhlProblems > 0 ? `; ${e.mhlProblems} disagreements with the vaults' ASC MHL histories` : ''}\n`,
      );
  }
}
