import * as fs from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { initVault, QUARANTINE_DIR, STATE_DIR, Vault } from '../../../src/vault/index.js';
import { tempDir } from '../../helpers/tmp.js';

async function openVault(): Promise<Vault> {
  const root = join(await tempDir(), 'ssd-a');
  await initVault(root, { label: 'SSD-A' });
  return Vault.open(root);
}

describe('Vault', () => {
  it('opens with its marker and maps vault-relative paths under Photos/', async () => {
    const vault = await openVault();
    expect(vault.label).toBe('SSD-A');
    expect(vault.ref).toEqual({ id: vault.marker.id, label: 'SSD-A', root: vault.root });
    expect(vault.photoPath('2026/a/IMG_1.CR2')).toBe(
      join(vault.root, 'Photos', '2026', 'a', 'IMG_1.CR2'),
    );
    expect(vault.tempPath('x.part')).toBe(join(vault.root, STATE_DIR, 'tmp', 'x.part'));
  });

  it('quarantine moves a file under .fieldbackup/quarantine keeping its bytes and mtime', async () => {
    const vault = await openVault();
    const rel = '2026/2026-03-07/EOS/IMG_0001.CR2';
    await fs.mkdir(join(vault.paths.photos, '2026/2026-03-07/EOS'), { recursive: true });
    await fs.writeFile(vault.photoPath(rel), 'bad bytes');
    const mtime = new Date('2026-03-07T09:00:00Z');
    await fs.utimes(vault.photoPath(rel), mtime, mtime);
    const moved = await vault.quarantine(rel, new Date('2026-04-01T12:30:00.250Z'));
    expect(moved.startsWith(join(vault.root, STATE_DIR, QUARANTINE_DIR) + '/')).toBe(true);
    expect(moved.endsWith(rel)).toBe(true);
    expect(await fs.readFile(moved, 'utf8')).toBe('bad bytes');
    expect((await fs.stat(moved)).mtimeMs).toBe(mtime.getTime());
    expect(await vault.exists(rel)).toBe(false);
  });

  it('keeps both copies when the same path is quarantined twice', async () => {
    const vault = await openVault();
    await fs.writeFile(vault.photoPath('a.JPG'), 'one');
    const first = await vault.quarantine('a.JPG', new Date('2026-04-01T12:00:00Z'));
    await fs.writeFile(vault.photoPath('a.JPG'), 'two');
    const second = await vault.quarantine('a.JPG', new Date('2026-04-01T12:00:01Z'));
    expect(second).not.toBe(first);
    expect(await fs.readFile(first, 'utf8')).toBe('one');
    expect(await fs.readFile(second, 'utf8')).toBe('two');
  });

  it('removeTemporaries empties the temp folder and counts what it removed', async () => {
    const vault = await openVault();
    await fs.writeFile(vault.tempPath('1.part'), 'x');
    await fs.writeFile(vault.tempPath('2.part'), 'y');
    expect(await vault.removeTemporaries()).toBe(2);
    expect(await fs.readdir(vault.paths.tmp)).toEqual([]);
  });

  it('reports free space and which photo paths exist', async () => {
    const vault = await openVault();
    expect(await vault.freeBytes()).toBeGreaterThan(0);
    await fs.writeFile(vault.photoPath('here.JPG'), 'x');
    expect(await vault.exists('here.JPG')).toBe(true);
    expect(await vault.exists('gone.JPG')).toBe(false);
  });

  it('wraps a vault problem with the vault label and the mapped code', async () => {
    const vault = await openVault();
    const err = vault.problem(
      Object.assign(new Error('full'), { code: 'ENOSPC' }),
      'write',
      'a.CR2',
    );
    expect(err.code).toBe('E_NO_SPACE');
    expect(err.subject).toEqual({ vault: 'SSD-A', path: 'a.CR2' });
    expect(err.message).toContain('SSD-A');
  });
});
