import { Option, type Command } from 'commander';
import type { CliIo } from '../io.js';
import { archiveStatusCommand, type ArchiveStatusFlags } from './archive-status.js';
import { syncCommand, type SyncFlags } from './sync.js';

type Guard = <A extends unknown[]>(
  fn: (...args: A) => Promise<number>,
) => (...args: A) => Promise<void>;

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

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
    .option(
      '--home <dir>',
      'catalog folder (default $FIELDBACKUP_HOME, else ~/.local/share/fieldbackup)',
    );

/** `fieldbackup sync` and `fieldbackup archive status`. */
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
    .option('--label <label>', "with --init: the NAS vault's label (default NAS)")
    .option('--box-name <name>', "this box's name in the NAS manifests (default: the host name)")
    .option(
      '--json',
      'one JSON object per line: start, file, conflict, progress, warning, error, done',
    )
    .action(guard((flags: SyncFlags) => syncCommand(io, flags)));

  const archive = program.command('archive').description('the NAS archive');
  targetOptions(archive.command('status').description('what the NAS vault holds, from which box'))
    .option('--json', 'one JSON object')
    .action(guard((flags: ArchiveStatusFlags) => archiveStatusCommand(io, flags)));
}
