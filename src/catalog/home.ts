import { homedir } from 'node:os';
import { join } from 'node:path';

/** Where the catalog lives: --home, else $FIELDBACKUP_HOME, else the XDG data dir (~/.local/share/fieldbackup). */
export function homeDir(explicit?: string, env: NodeJS.ProcessEnv = process.env): string {
  if (explicit !== undefined && explicit !== '') return explicit;
  const fromEnv = env.FIELDBACKUP_HOME;
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  const xdg = env.XDG_DATA_HOME;
  return join(
    xdg !== undefined && xdg !== '' ? xdg : join(homedir(), '.local', 'share'),
    'fieldbackup',
  );
}
