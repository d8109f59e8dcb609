import { Option, type Command } from 'commander';
import type { CliIo } from './io.js';
import { collect, homeOption, type Guard } from './options.js';
import type { RestoreFlags } from './commands/restore.js';
import type { SearchFlags } from './commands/search.js';
import type { SimilarFlags } from './commands/similar.js';

/**
 * `search`, `restore` and `similar`: the media index and the stacks from the command line.
 * Each command's code is loaded when it runs, so a command loads only what it needs.
 */
export function registerMediaCommands(program: Command, io: CliIo, guard: Guard): void {
  program
    .command('search')
    .argument(
      '[query...]',
      'e.g. rating>=4 label:red, camera:"NIKON Z 9", near:-1.29,36.82,25km (see the README)',
    )
    .description('find captures by metadata; prints them in capture-time order')
    .addOption(homeOption())
    .option('--json', 'one JSON object per capture, then a done line')
    .option('--limit <n>', 'captures shown at most (default 100, 0 for all)')
    .option('--desc', 'newest first')
    .action(
      guard(async (query: string[], flags: SearchFlags) =>
        (await import('./commands/search.js')).searchCommand(io, query, flags),
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
    .addOption(homeOption())
    .option('--json', 'one JSON object per line: start, file, warning, error, done')
    .action(
      guard(async (query: string[], flags: RestoreFlags) =>
        (await import('./commands/restore.js')).restoreCommand(io, query, flags),
      ),
    );
  program
    .command('similar <dir>')
    .description('group the images of a folder into bursts and brackets (no vault needed)')
    .option('--json', 'print {"groups":[{"kind":"burst"|"bracket","files":[...]}]}')
    .option('--profile <name>', 'wildlife (default), landscape, sports, or one from the config')
    .option(
      '--config <file>',
      'config file with profiles (default: config.yaml in the catalog folder)',
    )
    .option('--home <dir>', 'catalog folder, where config.yaml is looked for')
    .action(
      guard(async (dir: string, flags: SimilarFlags) =>
        (await import('./commands/similar.js')).similarCommand(io, dir, flags),
      ),
    );
}
