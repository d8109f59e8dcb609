import type { Command } from 'commander';
import type { DaemonFlags } from './commands/daemon.js';
import type { StatusFlags } from './commands/status.js';
import type { TetherFlags } from './commands/tether.js';
import type { WebFlags } from './commands/web.js';
import type { CliIo } from './io.js';
import { collect, homeOption, vaultOption, type Guard } from './options.js';

/**
 * `status`, `daemon`, `web` and `tether`: the box as a whole, its page and its camera. Each
 * command's code is loaded when it runs, so a command loads only what it needs.
 */
export function registerBoxCommands(program: Command, io: CliIo, guard: Guard): void {
  program
    .command('status')
    .description(
      'what the latest ingests secured, per tier, and whether each card is safe to format',
    )
    .addOption(homeOption())
    .option('--json', 'one JSON object per job')
    .option('--job <id>', 'one job')
    .option('--all', 'every job, not only the latest of each card')
    .option('--limit <n>', 'how many jobs (default 10)')
    .action(
      guard(async (flags: StatusFlags) =>
        (await import('./commands/status.js')).statusCommand(io, flags),
      ),
    );

  program
    .command('daemon')
    .description(
      'run the box: cards, SSDs, tethered camera, screen, LEDs, button, battery (until stopped)',
    )
    .requiredOption('--config <file>', 'the box config (device: /etc/fieldbackup/fieldbackup.yaml)')
    .addOption(homeOption())
    .option('--json', 'one JSON object per status change and per log line')
    .action(
      guard(async (flags: DaemonFlags) =>
        (await import('./commands/daemon.js')).daemonCommand(io, flags),
      ),
    );

  program
    .command('web')
    .description("serve the box's web page (status, gallery, culling) until Ctrl-C")
    .option(
      '--config <file>',
      'config file with a web section (default: config.yaml in the catalog folder)',
    )
    .addOption(homeOption())
    .option('--vault <dir>', 'a vault (repeat; default: the config’s vaults)', collect)
    .option('--port <n>', 'port (default: the config’s web.port, 8080)')
    .option('--json', 'one JSON object per line: listening, pairing, log')
    .action(
      guard(async (flags: WebFlags) => (await import('./commands/web.js')).webCommand(io, flags)),
    );

  program
    .command('tether')
    .description(
      'back up every shot of a tethered camera or hot folder as it is taken, until Ctrl-C',
    )
    .option('--usb', 'a camera on a USB cable (PTP)')
    .option('--ptpip <host[:port]>', 'a camera on the network (PTP/IP, port 15740 by default)')
    .option('--watch <dir>', 'a hot folder that tethering software writes into')
    .addOption(vaultOption())
    .addOption(homeOption())
    .option(
      '--json',
      'one JSON object per line: connected, shot, warning, error, disconnected, done',
    )
    .option('--stable-ms <ms>', 'hot folder: a file counts once unchanged this long (default 1000)')
    .option(
      '--poll-ms <ms>',
      'hot folder: rescan this often, for shares without change events (default 2000)',
    )
    .option(
      '--resume-seconds <s>',
      'camera: how long a transfer waits for a lost camera to return (default 30)',
    )
    .option(
      '--config <file>',
      'config file with tiers and similarity (default: config.yaml in the catalog folder)',
    )
    .action(
      guard(async (flags: TetherFlags) =>
        (await import('./commands/tether.js')).tetherCommand(io, flags),
      ),
    );
}
