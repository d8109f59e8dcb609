import * as fs from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isFieldBackupError, type FieldBackupError } from '../../../src/core/index.js';
import {
  DEFAULT_PATH_TEMPLATE,
  initVault,
  MARKER_FILE,
  readMarker,
  VAULT_FORMAT_VERSION,
  vaultPaths,
} from '../../../src/vault/index.js';
import { tempDir } from '../../helpers/tmp.js';

async function failure(p: Promise<unknown>): Promise<FieldBackupError> {
  try {
    await p;
  } catch (err) {
    if (isFieldBackupError(err)) return err;
    throw err;
  }
  throw new Error('expected a FieldBackupError');
}

const validMarker = {
  format: 'fieldbackup-vault',
  formatVersion: 1,
  id: '6f1c1e58-0000-4000-8000-000000000001',
  label: 'SSD-A',
  created: '2026-01-01T00:00:00.000Z',
};

async function vaultWithMarker(content: string): Promise<string> {
  const root = await tempDir();
  await fs.writeFile(join(root, MARKER_FILE), content);
  return root;
}

describe('initVault / readMarker', () => {
  it('writes a marker that reads back the same, with the folders of an empty vault', async () => {
    const root = join(await tempDir(), 'ssd-a');
    const now = new Date('2026-02-03T04:05:06.000Z');
    const written = await initVault(root, { label: 'SSD-A', now });
    expect(written).toMatchObject({
      format: 'fieldbackup-vault',
      formatVersion: VAULT_FORMAT_VERSION,
      label: 'SSD-A',
      created: '2026-02-03T04:05:06.000Z',
      pathTemplate: DEFAULT_PATH_TEMPLATE,
    });
    expect(await readMarker(root)).toEqual(written);
    const paths = vaultPaths(root);
    expect((await fs.stat(paths.photos)).isDirectory()).toBe(true);
    expect((await fs.stat(paths.tmp)).isDirectory()).toBe(true);
  });

  it('labels a vault after its folder by default and keeps a custom template', async () => {
    const root = join(await tempDir(), 'ssd-b');
    await initVault(root, { pathTemplate: '{source}/{relpath}' });
    const marker = await readMarker(root);
    expect(marker.label).toBe('ssd-b');
    expect(marker.pathTemplate).toBe('{source}/{relpath}');
  });

  it('refuses a bad template before writing anything', async () => {
    const root = join(await tempDir(), 'v');
    expect((await failure(initVault(root, { pathTemplate: '{nope}' }))).code).toBe(
      'E_BAD_TEMPLATE',
    );
    await expect(fs.stat(root)).rejects.toThrow();
  });

  it('refuses to init a vault twice and keeps the first identity', async () => {
    const root = await tempDir();
    const first = await initVault(root, { label: 'ONE' });
    const err = await failure(initVault(root, { label: 'TWO' }));
    expect(err.code).toBe('E_VAULT_EXISTS');
    expect((await readMarker(root)).id).toBe(first.id);
    expect((await readMarker(root)).label).toBe('ONE');
  });

  it('fills in the default template for a marker without one', async () => {
    const root = await vaultWithMarker(JSON.stringify(validMarker));
    expect((await readMarker(root)).pathTemplate).toBe(DEFAULT_PATH_TEMPLATE);
  });
});

describe('readMarker failures', () => {
  it('reports a missing folder as E_VAULT_MISSING, retryable', async () => {
    const err = await failure(readMarker(join(await tempDir(), 'unplugged')));
    expect(err.code).toBe('E_VAULT_MISSING');
    expect(err.retryable).toBe(true);
  });

  it('reports an existing folder without marker as E_NOT_A_VAULT', async () => {
    const root = await tempDir();
    const err = await failure(readMarker(root));
    expect(err.code).toBe('E_NOT_A_VAULT');
    expect(err.message).toContain('vault init');
    expect(err.subject.vault).toBe(root);
  });

  it('reports invalid JSON as E_NOT_A_VAULT', async () => {
    const err = await failure(readMarker(await vaultWithMarker('{"format": "fieldbackup-')));
    expect(err.code).toBe('E_NOT_A_VAULT');
    expect(err.message).toContain('JSON');
  });

  it.each([
    ['format', { ...validMarker, format: 'other-tool' }],
    ['label', { ...validMarker, label: '' }],
    ['id', { ...validMarker, id: 42 }],
    ['formatVersion', { ...validMarker, formatVersion: 0 }],
  ])('reports a wrong %s field as E_NOT_A_VAULT naming the field', async (field, marker) => {
    const err = await failure(readMarker(await vaultWithMarker(JSON.stringify(marker))));
    expect(err.code).toBe('E_NOT_A_VAULT');
    expect(err.subject.field).toBe(field);
    expect(err.message).toContain(`"${field}"`);
  });

  it('refuses a vault from a future format version', async () => {
    const future = { ...validMarker, formatVersion: VAULT_FORMAT_VERSION + 1 };
    const err = await failure(readMarker(await vaultWithMarker(JSON.stringify(future))));
    expect(err.code).toBe('E_NOT_A_VAULT');
    expect(err.subject.field).toBe('formatVersion');
    expect(err.message).toContain(String(VAULT_FORMAT_VERSION + 1));
  });
});
