import { join } from 'node:path';
import { open } from 'lmdb';
import { describe, expect, it } from 'vitest';
import {
  Catalog,
  EMPTY_COUNTERS,
  SCHEMA_VERSION,
  type FileRecord,
  type JobRecord,
} from '../../../src/catalog/index.js';
import {
  asContentHash,
  isFieldBackupError,
  type JobId,
  type SourceId,
  type VaultId,
} from '../../../src/core/index.js';
import { openCatalog } from '../../helpers/box.js';
import { tempDir } from '../../helpers/tmp.js';

const H1 = asContentHash('11111111111111111111111111111111');
const H2 = asContentHash('22222222222222222222222222222222');
const VA = 'vault-a' as VaultId;
const VB = 'vault-b' as VaultId;
const SRC = 'card-1' as SourceId;
const JOB = '20260307T100000000Z-abcd1234' as JobId;

const fileRecord = (relPath: string, hash = H1): FileRecord => ({
  sourceId: SRC,
  relPath,
  hash,
  size: 1000,
  mtimeMs: 1_700_000_000_000,
  tier: 'standard',
  jobId: JOB,
  recordedAt: 1_800_000_000_000,
});

const job: JobRecord = {
  id: JOB,
  sourceId: SRC,
  sourceLocation: '/media/card',
  vaults: [VA, VB],
  state: 'running',
  startedAt: 1,
  totalFiles: 10,
  totalBytes: 10_000,
  done: EMPTY_COUNTERS,
};

async function fresh(): Promise<Catalog> {
  return openCatalog(join(await tempDir(), 'home'));
}

describe('Catalog.commitFile', () => {
  it('records the object with its copies, the paths, the file, its reference and pending MHL rows', async () => {
    const catalog = await fresh();
    await catalog.putJob(job);
    await catalog.commitFile({
      hash: H1,
      size: 1000,
      copies: [
        { vaultId: VA, path: '2026/a.CR2', verifiedAt: 5, modifiedMs: 7 },
        {
          vaultId: VB,
          path: '2026/a.CR2',
          verifiedAt: 6,
          modifiedMs: 7,
          verification: 'source-hash',
        },
      ],
      file: fileRecord('DCIM/a.CR2'),
      job: { id: JOB, delta: { files: 1, copied: 1, bytesWritten: 2000 } },
    });
    expect(catalog.object(H1)).toEqual({
      size: 1000,
      copies: {
        [VA]: { path: '2026/a.CR2', verifiedAt: 5, verification: 'read-back' },
        [VB]: { path: '2026/a.CR2', verifiedAt: 6, verification: 'source-hash' },
      },
    });
    expect(catalog.pathOwner(VA, '2026/a.CR2')).toBe(H1);
    expect(catalog.pathOwner(VA, '2026/other.CR2')).toBeUndefined();
    expect(catalog.file(SRC, 'DCIM/a.CR2')).toEqual(fileRecord('DCIM/a.CR2'));
    expect([...catalog.referencesOf(H1)]).toEqual([{ sourceId: SRC, relPath: 'DCIM/a.CR2' }]);
    expect(catalog.pendingMhl(VA)).toEqual([
      { path: '2026/a.CR2', hash: H1, size: 1000, modifiedMs: 7, hashedAt: 5 },
    ]);
    expect(catalog.job(JOB)?.done).toEqual({
      ...EMPTY_COUNTERS,
      files: 1,
      copied: 1,
      bytesWritten: 2000,
    });
    expect([...catalog.filesOfSource(SRC)]).toHaveLength(1);
  });

  it('adds a copy on another vault without losing the first one', async () => {
    const catalog = await fresh();
    await catalog.commitFile({
      hash: H1,
      size: 10,
      copies: [{ vaultId: VA, path: 'a', verifiedAt: 1, modifiedMs: 0 }],
    });
    await catalog.commitFile({
      hash: H1,
      size: 10,
      copies: [{ vaultId: VB, path: 'b', verifiedAt: 2, modifiedMs: 0 }],
    });
    expect(Object.keys(catalog.object(H1)!.copies).sort()).toEqual([VA, VB]);
  });

  it('moves the reference when a source path now holds other content', async () => {
    const catalog = await fresh();
    await catalog.commitFile({
      hash: H1,
      size: 1000,
      copies: [],
      file: fileRecord('DCIM/a.CR2', H1),
    });
    await catalog.commitFile({
      hash: H2,
      size: 1000,
      copies: [],
      file: fileRecord('DCIM/a.CR2', H2),
    });
    expect([...catalog.referencesOf(H1)]).toEqual([]);
    expect([...catalog.referencesOf(H2)]).toEqual([{ sourceId: SRC, relPath: 'DCIM/a.CR2' }]);
    expect(catalog.file(SRC, 'DCIM/a.CR2')?.hash).toBe(H2);
  });

  it('markMhlWritten clears only the listed paths of that vault', async () => {
    const catalog = await fresh();
    const copy = (vaultId: VaultId, path: string) => ({
      vaultId,
      path,
      verifiedAt: 1,
      modifiedMs: 1,
    });
    await catalog.commitFile({ hash: H1, size: 1, copies: [copy(VA, 'a'), copy(VB, 'a')] });
    await catalog.commitFile({ hash: H2, size: 2, copies: [copy(VA, 'b')] });
    await catalog.markMhlWritten(VA, ['a']);
    expect(catalog.pendingMhl(VA).map((p) => p.path)).toEqual(['b']);
    expect(catalog.pendingMhl(VB).map((p) => p.path)).toEqual(['a']);
  });
});

describe('Catalog intents, jobs and objects', () => {
  it('records and drops intents per vault; a commit of that path drops its intent', async () => {
    const catalog = await fresh();
    const intent = (vaultId: VaultId, path: string) => ({
      vaultId,
      path,
      hash: H1,
      size: 1,
      jobId: JOB,
      createdAt: 1,
    });
    await catalog.recordIntents([intent(VA, 'x'), intent(VA, 'y'), intent(VB, 'x')]);
    expect(catalog.intentsOf(VA).map((i) => i.path)).toEqual(['x', 'y']);
    await catalog.dropIntents([{ vaultId: VA, path: 'x' }]);
    expect(catalog.intentsOf(VA).map((i) => i.path)).toEqual(['y']);
    await catalog.commitFile({
      hash: H1,
      size: 1,
      copies: [{ vaultId: VA, path: 'y', verifiedAt: 1, modifiedMs: 1 }],
    });
    expect(catalog.intentsOf(VA)).toEqual([]);
    expect(catalog.intentsOf(VB)).toEqual([intent(VB, 'x')]);
  });

  it('countJob adds to the counters and ignores an unknown job', async () => {
    const catalog = await fresh();
    await catalog.putJob(job);
    await catalog.countJob(JOB, { failed: 1 });
    await catalog.countJob(JOB, { failed: 2, files: 3 });
    await catalog.countJob('nope' as JobId, { failed: 1 });
    expect(catalog.job(JOB)?.done).toEqual({ ...EMPTY_COUNTERS, failed: 3, files: 3 });
    expect(catalog.job('nope' as JobId)).toBeUndefined();
  });

  it('hasObjectOfSize finds only exact sizes', async () => {
    const catalog = await fresh();
    expect(catalog.hasObjectOfSize(1000)).toBe(false);
    await catalog.commitFile({ hash: H1, size: 1000, copies: [] });
    expect(catalog.hasObjectOfSize(1000)).toBe(true);
    expect(catalog.hasObjectOfSize(999)).toBe(false);
    expect(catalog.hasObjectOfSize(1001)).toBe(false);
  });

  it('markVerified records a read-back of one copy and leaves the rest', async () => {
    const catalog = await fresh();
    await catalog.commitFile({
      hash: H1,
      size: 1,
      copies: [
        { vaultId: VA, path: 'a', verifiedAt: 1, modifiedMs: 0, verification: 'source-hash' },
        { vaultId: VB, path: 'a', verifiedAt: 1, modifiedMs: 0, verification: 'source-hash' },
      ],
    });
    await catalog.markVerified(H1, VA, 99);
    await catalog.markVerified(H2, VA, 99);
    expect(catalog.object(H1)?.copies[VA]).toEqual({
      path: 'a',
      verifiedAt: 99,
      verification: 'read-back',
    });
    expect(catalog.object(H1)?.copies[VB]).toEqual({
      path: 'a',
      verifiedAt: 1,
      verification: 'source-hash',
    });
    expect(catalog.object(H2)).toBeUndefined();
  });

  it('keeps what was committed across close and reopen', async () => {
    const home = join(await tempDir(), 'home');
    const first = await Catalog.open(home);
    await first.commitFile({
      hash: H1,
      size: 5,
      copies: [{ vaultId: VA, path: 'p', verifiedAt: 1, modifiedMs: 0 }],
    });
    await first.close();
    const again = await openCatalog(home);
    expect(again.pathOwner(VA, 'p')).toBe(H1);
    expect(again.schemaVersion).toBe(SCHEMA_VERSION);
  });
});

describe('Catalog schema version', () => {
  it('migrates a version 1 catalog: every copy it holds was read back from the medium', async () => {
    const home = join(await tempDir(), 'home');
    const env = open({ path: join(home, 'catalog'), maxDbs: 32 });
    await env.openDB<unknown, string>({ name: 'meta' }).put('schemaVersion', 1);
    const objects = env.openDB<unknown, string>({ name: 'objects' });
    await objects.put(H1, { size: 3, copies: { [VA]: { path: 'x', verifiedAt: 4 } } });
    await objects.put(H2, { size: 5, copies: {} });
    await env.close();

    const catalog = await openCatalog(home);
    expect(SCHEMA_VERSION).toBe(2);
    expect(catalog.object(H1)).toEqual({
      size: 3,
      copies: { [VA]: { path: 'x', verifiedAt: 4, verification: 'read-back' } },
    });
    expect(catalog.object(H2)).toEqual({ size: 5, copies: {} });
    await catalog.close();
    const check = open({ path: join(home, 'catalog'), maxDbs: 32 });
    expect(check.openDB<unknown, string>({ name: 'meta' }).get('schemaVersion')).toBe(2);
    await check.close();
  });

  it('refuses a catalog written by a newer FieldBackup with E_CATALOG', async () => {
    const home = join(await tempDir(), 'home');
    const env = open({ path: join(home, 'catalog'), maxDbs: 32 });
    await env.openDB<unknown, string>({ name: 'meta' }).put('schemaVersion', SCHEMA_VERSION + 1);
    await env.close();
    const err: unknown = await Catalog.open(home).catch((e: unknown) => e);
    expect(isFieldBackupError(err, 'E_CATALOG')).toBe(true);
    if (isFieldBackupError(err)) expect(err.subject.field).toBe('schemaVersion');
    // The refused catalog was left as it was.
    const check = open({ path: join(home, 'catalog'), maxDbs: 32 });
    expect(check.openDB<unknown, string>({ name: 'meta' }).get('schemaVersion')).toBe(
      SCHEMA_VERSION + 1,
    );
    await check.close();
  });
});
