import { Option, type Command } from 'commander';
import type { ArchiveStatusFlags } from './commands/archive-status.js';
import type { SyncFlags } from './commands/sync.js';
import type { CliIo } from './io.js';
import { collect, homeOption, type Guard } from './options.js';

const targetOptions = (cmd: Command): Command =>
  cmd
    .addOption(
      new Option(
        '--to <target>',
        'the NAS vault: a mounted folder, or sftp://user@host[:port]/path',
      ).makeOptionMandatory(),
    )
    .option(
      '--identity <key>',
      'SFTP: private key file (default ~/.ssh/id_ed25519, id_ecdsa, id_rsa)',
    )
    .option(
      '--host-key <fingerprint>',
      'SFTP: require this host key (SHA256:…, from ssh-keygen -lf) and pin it',
    )
    .addOption(homeOption());

/** `fieldbackup sync` and `fieldbackup archive status`, each loaded when it runs. */
export function registerSyncCommands(program: Command, io: CliIo, guard: Guard): void {
  targetOptions(
    program
      .command('sync')
      .description('bring the NAS vault up to date with this box: send what it lacks, verified'),
  )
    .option(
      '--vault <dir>',
      'an SSD vault to read from (repeat; default: every vault the catalog knows)',
      collect,
    )
    .option('--init', 'make the target folder a vault if it is not one yet')
    .option(
      '--allow-local',
      "with --init: allow a folder on this box's own disk (else refused as an unmounted share)",
    )
    .option('--label <label>', "with --init: the NAS vault's label (default NAS)")
    .option('--box-name <name>', "this box's name in the NAS manifests (default: the host name)")
    .option(
      '--config <file>',
      'config file: tiers (their sync order) and the sync section (default: config.yaml in the catalog folder)',
    )
    .option(
      '--json',
      'one JSON object per line: start, file, conflict, progress, warning, error, done',
    )
    .action(
      guard(async (flags: SyncFlags) =>
        (await import('./commands/sync.js')).syncCommand(io, flags),
      ),
    );

  const archive = program.command('archive').description('the NAS archive');
  targetOptions(archive.command('status').description('what the NAS vault holds, from which box'))
    .option('--json', 'one JSON object')
    .action(
      guard(async (flags: ArchiveStatusFlags) =>
        (await import('./commands/archive-status.js')).archiveStatusCommand(io, flags),
      ),
    );
}
