import { Option, type Command } from 'commander';
import type { CliIo } from '../io.js';
import { restoreCommand } from './restore.js';
import { searchCommand } from './search.js';

type Guard = <A extends unknown[]>(
  fn: (...args: A) => Promise<number>,
) => (...args: A) => Promise<void>;

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];
const home = (): Option =>
  new Option(
    '--home <dir>',
    'catalog folder (default $FIELDBACKUP_HOME, else ~/.local/share/fieldbackup)',
  );

/** `search` and `restore`: the media index from the command line. */
export function registerMediaCommands(program: Command, io: CliIo, guard: Guard): void {
  program
    .command('search')
    .argument(
      '[query...]',
      'e.g. rating>=4 label:red, camera:"NIKON Z 9", near:-1.29,36.82,25km (see the README)',
    )
    .description('find captures by metadata; prints them in capture-time order')
    .addOption(home())
    .option('--json', 'one JSON object per capture, then a done line')
    .option('--limit <n>', 'captures shown at most (default 100, 0 for all)')
    .option('--desc', 'newest first')
    .action(
      guard(
        (
          query: string[],
          flags: { home?: string; json?: boolean; limit?: string; desc?: boolean },
        ) => searchCommand(io, query, flags),
      ),
    );
  program
    .command('restore')
    .argument('[query...]', 'which captures (the search language); none: everything')
    .description(
      'copy matching captures with their sidecars from a vault, verified, metadata compared; never overwrites',
    )
    .requiredOption('--to <dir>', 'target folder')
    .addOption(
      new Option(
        '--vault <dir>',
        'read from this vault first (repeatable); other known vaults are fallbacks',
      ).argParser(collect),
    )
    .addOption(
      new Option('--layout <layout>', 'original: <card>/<path on card>; vault: the vault path')
        .choices(['original', 'vault'])
        .default('original'),
    )
    .addOption(home())
    .option('--json', 'one JSON object per line: start, file, warning, error, done')
    .action(
      guard(
        (
          query: string[],
          flags: { to: string; vault?: string[]; layout?: string; home?: string; json?: boolean },
        ) => restoreCommand(io, query, flags),
      ),
    );
}
