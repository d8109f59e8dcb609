import { Command, CommanderError, Option } from 'commander';
import { toolVersion } from '../index.js';
import { registerDaemon } from './commands/daemon.js';
import { ingestCommand, type IngestFlags } from './commands/ingest.js';
import { registerSyncCommands } from './commands/register-sync.js';
import { registerMediaCommands } from './commands/media.js';
import { scrubCommand } from './commands/scrub.js';
import { registerSimilar } from './commands/similar.js';
import { registerStatus } from './commands/status.js';
import { registerTether } from './commands/tether.js';
import { vaultInitCommand } from './commands/vault-init.js';
import { registerWeb } from './commands/web.js';
import { EXIT_OK, EXIT_USAGE, type CliIo } from './io.js';
import { reportFatal } from './report-error.js';

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

const vaultOption = (): Option =>
  new Option('--vault <dir>', 'a vault (repeat for each SSD)')
    .argParser(collect)
    .makeOptionMandatory();
const homeOption = (): Option =>
  new Option(
    '--home <dir>',
    'catalog folder (default $FIELDBACKUP_HOME, else ~/.local/share/fieldbackup)',
  );

/** Runs the command line and returns the exit code (never calls process.exit). */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let exitCode = EXIT_OK;
  let json = false;
  const guard =
    <A extends unknown[]>(fn: (...args: A) => Promise<number>) =>
    async (...args: A): Promise<void> => {
      try {
        exitCode = await fn(...args);
      } catch (err) {
        exitCode = reportFatal(io, err, json);
      }
    };

  const program = new Command('fieldbackup')
    .description('Field backup box: verified copies of camera cards on two SSDs')
    .version(toolVersion())
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .hook('preAction', (_cmd, action) => {
      json = action.opts<{ json?: boolean }>().json === true;
    });

  const vaultCmd = program.command('vault').description('manage vaults');
  vaultCmd
    .command('init <dir>')
    .description('make <dir> a vault: writes fieldbackup-vault.json, Photos/ and .fieldbackup/')
    .option('--label <label>', 'a name for the vault (default: the folder name)')
    .option('--template <template>', 'path template for files in Photos/')
    .option('--json', 'print the vault marker as JSON')
    .action(
      guard((dir: string, flags: { label?: string; template?: string; json?: boolean }) =>
        vaultInitCommand(io, dir, flags),
      ),
    );

  program
    .command('ingest <source>')
    .description('copy every file of a card or folder to every vault, verified')
    .addOption(vaultOption())
    .addOption(homeOption())
    .option('--json', 'one JSON object per line: start, file, progress, warning, error, done')
    .option('--paranoid', 're-hash files seen before instead of trusting path, size and mtime')
    .option(
      '--config <file>',
      'config file with tiers (default: config.yaml in the catalog folder)',
    )
    .action(guard((source: string, flags: IngestFlags) => ingestCommand(io, source, flags)));

  registerStatus(program, io, guard, homeOption);
  registerWeb(program, io, guard);

  program
    .command('scrub')
    .description('re-read every copy, compare with the catalog, repair bad copies from good ones')
    .addOption(vaultOption())
    .addOption(homeOption())
    .option('--json', 'one JSON object per line')
    .action(
      guard((flags: { vault: string[]; home?: string; json?: boolean }) => scrubCommand(io, flags)),
    );

  registerTether(program, io, guard, { vault: vaultOption, home: homeOption });
  registerDaemon(program, io, guard, homeOption);
  registerSyncCommands(program, io, guard);
  registerMediaCommands(program, io, guard);
  registerSimilar(program, io, guard);

  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) {
      return err.code === 'commander.helpDisplayed' ||
        err.code === 'commander.version' ||
        err.code === 'commander.help'
        ? EXIT_OK
        : EXIT_USAGE;
    }
    throw err;
  }
  return exitCode;
}
