import * as fs from 'node:fs/promises';
import { join } from 'node:path';
import { FieldBackupError } from '../core/index.js';
import { onRootFilesystem } from '../platform/index.js';
import { MARKER_FILE } from '../vault/index.js';

/**
 * Before `--init` makes a mounted-share target a vault: refuses a folder on the box's own root
 * filesystem. A share that is not mounted leaves its empty mount point there, and making that
 * the "NAS" would fill the box's own disk with a second copy that is not at home at all.
 * A folder that is missing, or already a vault, is left to the vault opening to judge.
 */
export async function refuseLocalInit(path: string): Promise<void> {
  const exists = await fs.stat(path).then(
    (st) => st.isDirectory(),
    () => false,
  );
  if (!exists) return;
  if (
    await fs.stat(join(path, MARKER_FILE)).then(
      () => true,
      () => false,
    )
  )
    return;
  if (!(await onRootFilesystem(path))) return;
  throw new FieldBackupError(
    'E_VAULT_MISSING',
    `NAS folder ${path} is on this box's own disk (the filesystem of /), not on a mounted share: ` +
      'is the share mounted? To make a vault in a local folder anyway, add --allow-local',
    { subject: { vault: path }, retryable: true },
  );
}
