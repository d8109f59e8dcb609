import * as fs from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  errnoOf,
  fsyncDir,
  mkdirDurable,
  pathExists,
  placeNoReplace,
  writeFileAtomic,
} from '../../../src/platform/index.js';
import { tempDir } from '../../helpers/tmp.js';

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error('expected a rejection');
}

describe('writeFileAtomic', () => {
  it('creates a file with the given bytes and leaves nothing else in the folder', async () => {
    const dir = await tempDir();
    const path = join(dir, 'marker.json');
    await writeFileAtomic(path, '{"a":1}\n');
    await writeFileAtomic(join(dir, 'bin'), new Uint8Array([0, 1, 2, 255]));
    expect(await fs.readFile(path, 'utf8')).toBe('{"a":1}\n');
    expect([...(await fs.readFile(join(dir, 'bin')))]).toEqual([0, 1, 2, 255]);
    expect((await fs.readdir(dir)).sort()).toEqual(['bin', 'marker.json']);
  });

  it('applies the requested mode', async () => {
    const dir = await tempDir();
    await writeFileAtomic(join(dir, 'f'), 'x', { mode: 0o600 });
    expect((await fs.stat(join(dir, 'f'))).mode & 0o777).toBe(0o600);
  });

  it('refuses to replace an existing file by default: EEXIST, old bytes kept, no temp left', async () => {
    const dir = await tempDir();
    const path = join(dir, 'chain.xml');
    await fs.writeFile(path, 'old');
    const err = await rejection(writeFileAtomic(path, 'new'));
    expect(errnoOf(err)).toBe('EEXIST');
    expect(await fs.readFile(path, 'utf8')).toBe('old');
    expect(await fs.readdir(dir)).toEqual(['chain.xml']);
  });

  it('replaces an existing file with {replace: true}', async () => {
    const dir = await tempDir();
    const path = join(dir, 'chain.xml');
    await fs.writeFile(path, 'old');
    await writeFileAtomic(path, 'new', { replace: true });
    expect(await fs.readFile(path, 'utf8')).toBe('new');
    expect(await fs.readdir(dir)).toEqual(['chain.xml']);
  });

  it('fails when the folder does not exist', async () => {
    const dir = await tempDir();
    expect(errnoOf(await rejection(writeFileAtomic(join(dir, 'no', 'f'), 'x')))).toBe('ENOENT');
  });
});

describe('placeNoReplace', () => {
  it('moves the temp to a free final name', async () => {
    const dir = await tempDir();
    await fs.writeFile(join(dir, 'a.part'), 'bytes');
    expect(await placeNoReplace(join(dir, 'a.part'), join(dir, 'a.CR2'))).toBe('placed');
    expect(await fs.readFile(join(dir, 'a.CR2'), 'utf8')).toBe('bytes');
    expect(await pathExists(join(dir, 'a.part'))).toBe(false);
  });

  it("returns 'exists' and never changes the existing file", async () => {
    const dir = await tempDir();
    const final = join(dir, 'a.CR2');
    await fs.writeFile(final, 'original');
    await fs.utimes(final, new Date('2020-01-01T00:00:00Z'), new Date('2020-01-01T00:00:00Z'));
    const before = await fs.stat(final);
    await fs.writeFile(join(dir, 'a.part'), 'intruder');
    expect(await placeNoReplace(join(dir, 'a.part'), final)).toBe('exists');
    const after = await fs.stat(final);
    expect(await fs.readFile(final, 'utf8')).toBe('original');
    expect(after.ino).toBe(before.ino);
    expect(after.mtimeMs).toBe(before.mtimeMs);
    expect(after.nlink).toBe(1);
    // The temp stays for the caller to deal with.
    expect(await fs.readFile(join(dir, 'a.part'), 'utf8')).toBe('intruder');
  });

  it("returns 'exists' for a dangling symlink in the way", async () => {
    const dir = await tempDir();
    await fs.symlink(join(dir, 'nowhere'), join(dir, 'link'));
    await fs.writeFile(join(dir, 't'), 'x');
    expect(await placeNoReplace(join(dir, 't'), join(dir, 'link'))).toBe('exists');
    expect(await pathExists(join(dir, 'nowhere'))).toBe(false);
  });
});

describe('mkdirDurable', () => {
  it('creates nested folders and accepts an existing one', async () => {
    const dir = await tempDir();
    const deep = join(dir, 'a', 'b', 'c');
    await mkdirDurable(deep);
    expect((await fs.stat(deep)).isDirectory()).toBe(true);
    await expect(mkdirDurable(deep)).resolves.toBeUndefined();
    await expect(mkdirDurable(dir)).resolves.toBeUndefined();
  });

  it('rejects a file in the way with ENOTDIR', async () => {
    const dir = await tempDir();
    await fs.writeFile(join(dir, 'a'), 'file');
    expect(errnoOf(await rejection(mkdirDurable(join(dir, 'a', 'b'))))).toBe('ENOTDIR');
    expect(errnoOf(await rejection(mkdirDurable(join(dir, 'a'))))).toBe('ENOTDIR');
    expect(await fs.readFile(join(dir, 'a'), 'utf8')).toBe('file');
  });
});

describe('fsyncDir / pathExists', () => {
  it('fsyncs a folder and refuses a missing one', async () => {
    const dir = await tempDir();
    await expect(fsyncDir(dir)).resolves.toBeUndefined();
    expect(errnoOf(await rejection(fsyncDir(join(dir, 'none'))))).toBe('ENOENT');
  });

  it('tells whether a path exists', async () => {
    const dir = await tempDir();
    expect(await pathExists(dir)).toBe(true);
    expect(await pathExists(join(dir, 'none'))).toBe(false);
  });
});
