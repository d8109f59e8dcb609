import { initVault } from '../../vault/index.js';
import { EXIT_OK, jsonLine, type CliIo } from '../io.js';

export interface VaultInitFlags {
  readonly label?: string;
  readonly template?: string;
  readonly json?: boolean;
}

export async function vaultInitCommand(
  io: CliIo,
  dir: string,
  flags: VaultInitFlags,
): Promise<number> {
  const marker = await initVault(dir, {
    ...(flags.label === undefined ? {} : { label: flags.label }),
    ...(flags.template === undefined ? {} : { pathTemplate: flags.template }),
  });
  if (flags.json === true) jsonLine(io, { event: 'vault', root: dir, ...marker });
  else
    io.stdout.write(
      `Vault "${marker.label}" (${marker.id}) created in ${dir}\nPath template: ${marker.pathTemplate}\n`,
    );
  return EXIT_OK;
}
