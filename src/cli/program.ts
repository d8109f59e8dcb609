import { Command, CommanderError } from 'commander';
import { toolVersion } from '../platform/index.js';
import type { IngestFlags } from './commands/ingest.js';
import type { ScrubFlags } from './commands/scrub.js';
import type { VaultInitFlags } from './commands/vault-init.js';
import { EXIT_OK, EXIT_USAGE, type CliIo } from './io.js';
import { homeOption, vaultOption } from './options.js';
import { registerBoxCommands } from './register-box.js';
import { registerMediaCommands } from './register-media.js';
import { registerSyncCommands } from './register-sync.js';
import { reportFatal } from './report-error.js';

/**
 * Runs the command line and returns the exit code (never calls process.exit). A command's code
 * is imported when it runs: `fieldbackup sync` on the box does not load the image libraries,
 * the web server or the statechart, which saves memory and start-up time on battery.
 */
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
      guard(async (dir: string, flags: VaultInitFlags) =>
        (await import('./commands/vault-init.js')).vaultInitCommand(io, dir, flags),
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
    .action(
      guard(async (source: string, flags: IngestFlags) =>
        (await import('./commands/ingest.js')).ingestCommand(io, source, flags),
      ),
    );

  program
    .command('scrub')
    .description('re-read every copy, compare with the catalog, repair bad copies from good ones')
    .addOption(vaultOption())
    .addOption(homeOption())
    .option('--json', 'one JSON object per line')
    .action(
      guard(async (flags: ScrubFlags) =>
        (await import('./commands/scrub.js')).scrubCommand(io, flags),
      ),
    );

  registerBoxCommands(program, io, guard);
  registerSyncCommands(program, io, guard);
  registerMediaCommands(program, io, guard);

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
