import { FieldBackupError } from '../core/index.js';
import type { Database, RootDatabase } from 'lmdb';
import type { CopyRecord, ObjectRecord } from './records.js';

/**
 * The catalog's schema version. A change to a record's shape adds a step to MIGRATIONS that
 * rewrites old records in one transaction; the box refuses a catalog newer than itself.
 */
export const SCHEMA_VERSION = 2;

/** Step v → v+1, run inside one write transaction over the whole environment. */
const MIGRATIONS: Readonly<Record<number, (root: RootDatabase) => void>> = {
  /** v2: a copy records how it was verified; every copy before v2 was read back from the medium. */
  1: (root) => {
    type V1Object = Omit<ObjectRecord, 'copies'> & {
      readonly copies: Readonly<Record<string, Omit<CopyRecord, 'verification'>>>;
    };
    const objects = root.openDB<V1Object | ObjectRecord, string>({ name: 'objects' });
    for (const { key, value } of [...objects.getRange()]) {
      const copies: Record<string, CopyRecord> = {};
      for (const [vault, copy] of Object.entries(value.copies))
        copies[vault] = { verification: 'read-back', ...copy };
      objects.putSync(key, { ...value, copies });
    }
  },
};

export async function migrate(
  root: RootDatabase,
  meta: Database<unknown, string>,
  path: string,
): Promise<void> {
  const found = meta.get('schemaVersion');
  if (found === undefined) {
    await meta.put('schemaVersion', SCHEMA_VERSION);
    return;
  }
  if (typeof found !== 'number' || found > SCHEMA_VERSION) {
    throw new FieldBackupError(
      'E_CATALOG',
      `catalog ${path} has schema version ${JSON.stringify(found)}; this FieldBackup knows up to ${SCHEMA_VERSION}`,
      {
        subject: { path, field: 'schemaVersion' },
      },
    );
  }
  for (let v = found; v < SCHEMA_VERSION; v++) {
    const step = MIGRATIONS[v];
    await root.transaction(() => {
      step?.(root);
      meta.putSync('schemaVersion', v + 1);
    });
  }
}
