import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs/promises';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  isFieldBackupError,
  type SourceEntry,
  type SourceWarning,
} from '../../../src/core/index.js';
import { FolderSource } from '../../../src/ingest/index.js';
import { tempDir } from '../../helpers/tmp.js';

async function write(root: string, rel: string, data: string | Buffer): Promise<void> {
  await fs.mkdir(join(root, rel, '..'), { recursive: true });
  await fs.writeFile(join(root, rel), data);
}

async function list(
  source: FolderSource,
): Promise<{ entries: SourceEntry[]; warnings: SourceWarning[] }> {
  const entries: SourceEntry[] = [];
  const warnings: SourceWarning[] = [];
  for await (const e of source.entries((w) => warnings.push(w))) entries.push(e);
  return { entries, warnings };
}

async function readAll(source: FolderSource, entry: SourceEntry): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  // Chunks may be reused buffers: keep a copy, as any consumer that holds on to them must.
  for await (const c of source.read(entry)) chunks.push(Buffer.from(c));
  return Buffer.concat(chunks);
}

describe('FolderSource.entries', () => {
  it('lists files sorted, depth first, with size and mtime, skipping OS junk', async () => {
    const card = await tempDir();
    await write(card, 'DCIM/100CANON/IMG_0002.CR2', 'two');
    await write(card, 'DCIM/100CANON/IMG_0001.CR2', 'one!');
    await write(card, 'DCIM/100CANON/._IMG_0001.CR2', 'apple double');
    await write(card, 'DCIM/.DS_Store', 'x');
    await write(card, '.Trashes/501/old.JPG', 'x');
    await write(card, 'System Volume Information/IndexerVolumeGuid', 'x');
    await write(card, 'MISC/a.xml', 'x');
    await write(card, 'Thumbs.db', 'x');
    const mtime = new Date('2026-03-07T09:05:03.000Z');
    await fs.utimes(join(card, 'DCIM/100CANON/IMG_0001.CR2'), mtime, mtime);
    const { entries, warnings } = await list(new FolderSource(card));
    expect(warnings).toEqual([]);
    expect(entries.map((e) => e.relPath)).toEqual([
      'DCIM/100CANON/IMG_0001.CR2',
      'DCIM/100CANON/IMG_0002.CR2',
      'MISC/a.xml',
    ]);
    expect(entries[0]).toEqual({
      relPath: 'DCIM/100CANON/IMG_0001.CR2',
      size: 4,
      mtimeMs: mtime.getTime(),
      protected: false,
    });
  });

  it('follows a symlink to a file inside the source', async () => {
    const card = await tempDir();
    await write(card, 'DCIM/IMG_0001.JPG', 'photo');
    await fs.symlink('DCIM/IMG_0001.JPG', join(card, 'alias.JPG'));
    const { entries, warnings } = await list(new FolderSource(card));
    expect(warnings).toEqual([]);
    expect(entries.find((e) => e.relPath === 'alias.JPG')?.size).toBe(5);
  });

  it('reports and skips a symlink that points outside the source', async () => {
    const card = await tempDir();
    const outside = await tempDir();
    await write(outside, 'secret.JPG', 'not on the card');
    await write(card, 'DCIM/IMG_0001.JPG', 'photo');
    await fs.symlink(join(outside, 'secret.JPG'), join(card, 'DCIM/escape.JPG'));
    const { entries, warnings } = await list(new FolderSource(card));
    expect(entries.map((e) => e.relPath)).toEqual(['DCIM/IMG_0001.JPG']);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ code: 'E_SYMLINK_OUTSIDE', path: 'DCIM/escape.JPG' });
  });

  it('skips a symlink to a folder, even one inside the source', async () => {
    const card = await tempDir();
    await write(card, 'DCIM/IMG_0001.JPG', 'photo');
    await fs.symlink('DCIM', join(card, 'loop'));
    const { entries, warnings } = await list(new FolderSource(card));
    expect(entries.map((e) => e.relPath)).toEqual(['DCIM/IMG_0001.JPG']);
    expect(warnings.map((w) => w.path)).toEqual(['loop']);
  });

  it('marks a read-only file as protected', async () => {
    const card = await tempDir();
    await write(card, 'locked.CR2', 'x');
    await write(card, 'open.CR2', 'x');
    await fs.chmod(join(card, 'locked.CR2'), 0o444);
    const { entries } = await list(new FolderSource(card));
    expect(entries.map((e) => [e.relPath, e.protected])).toEqual([
      ['locked.CR2', true],
      ['open.CR2', false],
    ]);
  });

  it('fails with E_SOURCE_MISSING for a folder that is not there', async () => {
    const gone = new FolderSource(join(await tempDir(), 'unplugged'));
    const err: unknown = await list(gone).catch((e: unknown) => e);
    expect(isFieldBackupError(err, 'E_SOURCE_MISSING')).toBe(true);
  });
});

describe('FolderSource.read', () => {
  it('yields all bytes of a file, in order, without changing it', async () => {
    const card = await tempDir();
    const data = randomBytes(9 * 1024 * 1024 + 7);
    await write(card, 'DCIM/big.MOV', data);
    const before = await fs.stat(join(card, 'DCIM/big.MOV'));
    const source = new FolderSource(card);
    const { entries } = await list(source);
    expect((await readAll(source, entries[0]!)).equals(data)).toBe(true);
    const after = await fs.stat(join(card, 'DCIM/big.MOV'));
    expect(after.mtimeMs).toBe(before.mtimeMs);
    expect(after.atimeMs).toBe(before.atimeMs);
    expect(source.localPath(entries[0]!)).toBe(join(card, 'DCIM', 'big.MOV'));
  });

  it('throws E_SOURCE_CHANGED for a file truncated after it was listed', async () => {
    const card = await tempDir();
    await write(card, 'a.CR2', randomBytes(10_000));
    const source = new FolderSource(card);
    const { entries } = await list(source);
    await fs.truncate(join(card, 'a.CR2'), 5000);
    const err: unknown = await readAll(source, entries[0]!).catch((e: unknown) => e);
    expect(isFieldBackupError(err, 'E_SOURCE_CHANGED')).toBe(true);
    if (isFieldBackupError(err)) {
      expect(err.subject.path).toBe('a.CR2');
      expect(err.retryable).toBe(true);
    }
  });

  it('throws E_SOURCE_MISSING naming the file when it is gone', async () => {
    const card = await tempDir();
    await write(card, 'a.CR2', 'x');
    const source = new FolderSource(card);
    const { entries } = await list(source);
    await fs.rm(join(card, 'a.CR2'));
    const err: unknown = await readAll(source, entries[0]!).catch((e: unknown) => e);
    expect(isFieldBackupError(err, 'E_SOURCE_MISSING')).toBe(true);
    if (isFieldBackupError(err)) expect(err.subject.path).toBe('a.CR2');
  });
});

describe('FolderSource.identify', () => {
  it('identifies a plain folder as kind folder, named after it', async () => {
    const dir = await tempDir();
    const source = new FolderSource(dir);
    const id = await source.identify();
    expect(id).toEqual({ kind: 'folder', name: basename(dir), location: await fs.realpath(dir) });
    expect(source.kind).toBe('folder');
  });
});
