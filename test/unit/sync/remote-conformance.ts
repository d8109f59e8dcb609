import { describe, expect, it } from 'vitest';
import { seededBytes } from '../../../fixtures/index.js';
import { hashBytes } from '../../../src/platform/index.js';
import type { Remote } from '../../../src/sync/index.js';

export interface RemoteUnderTest {
  readonly remote: Remote;
  /** An empty folder that is the remote's root. */
  readonly root: string;
}

async function writeNew(
  remote: Remote,
  path: string,
  data: Uint8Array,
  mtimeMs?: number,
): Promise<void> {
  const file = await remote.create(path);
  await file.write(data);
  await file.close({ mtimeMs, fsync: true });
}

const codeOf = (p: Promise<unknown>): Promise<unknown> =>
  p.then(
    () => 'resolved',
    (err: unknown) => (err as { code?: unknown }).code,
  );

/**
 * The contract every sync transport keeps (rclone's fstests idea): each implementation's test
 * calls this with a fresh remote. The sync protocol relies on exactly these behaviours.
 */
export function remoteConformance(name: string, open: () => Promise<RemoteUnderTest>): void {
  describe(`${name}: the Remote contract`, () => {
    it('stat and list tell files, folders and nothing apart', async () => {
      const { remote } = await open();
      expect(await remote.stat('missing')).toBeUndefined();
      expect(await remote.list('missing')).toBeUndefined();
      await remote.mkdirs('a/b/c');
      await remote.mkdirs('a/b/c');
      await writeNew(remote, 'a/b/file.bin', seededBytes('x', 1234));
      expect(await remote.stat('a/b')).toMatchObject({ kind: 'directory' });
      expect(await remote.stat('a/b/file.bin')).toMatchObject({ kind: 'file', size: 1234 });
      const names = (await remote.list('a/b'))?.map((e) => `${e.name}:${e.kind}`).sort();
      expect(names).toEqual(['c:directory', 'file.bin:file']);
      expect(await remote.stat('')).toMatchObject({ kind: 'directory' });
    });

    it('writes many chunks from one reused buffer, in order, with the mtime given', async () => {
      const { remote } = await open();
      const data = seededBytes('chunks', 3 * 1024 * 1024 + 12345);
      const buffer = Buffer.alloc(300 * 1024);
      const file = await remote.create('big.bin');
      for (let at = 0; at < data.length; at += buffer.length) {
        const n = data.copy(buffer, 0, at, Math.min(data.length, at + buffer.length));
        await file.write(buffer.subarray(0, n));
        // Once write() resolved, the caller may scribble over its buffer.
        buffer.fill(0xee);
      }
      const mtime = Date.UTC(2026, 10, 20, 6, 30, 15);
      await file.close({ mtimeMs: mtime, fsync: true });
      expect((await remote.readFile('big.bin', 8 << 20)).equals(data)).toBe(true);
      const st = await remote.stat('big.bin');
      expect(st?.size).toBe(data.length);
      expect(Math.floor((st?.mtimeMs ?? 0) / 1000)).toBe(mtime / 1000);
    });

    it('create refuses a name that exists, and changes nothing', async () => {
      const { remote } = await open();
      await writeNew(remote, 'taken.txt', Buffer.from('first'));
      expect(await codeOf(remote.create('taken.txt'))).toBe('EEXIST');
      expect((await remote.readFile('taken.txt', 100)).toString()).toBe('first');
    });

    it('place moves a file to a free name and never replaces one', async () => {
      const { remote } = await open();
      await remote.mkdirs('tmp');
      await remote.mkdirs('final');
      await writeNew(remote, 'tmp/one.part', Buffer.from('one'));
      expect(await remote.place('tmp/one.part', 'final/photo.cr2')).toBe('placed');
      expect(await remote.stat('tmp/one.part')).toBeUndefined();
      await writeNew(remote, 'tmp/two.part', Buffer.from('two'));
      expect(await remote.place('tmp/two.part', 'final/photo.cr2')).toBe('exists');
      expect((await remote.readFile('final/photo.cr2', 100)).toString()).toBe('one');
      expect((await remote.readFile('tmp/two.part', 100)).toString()).toBe('two');
    });

    it('appends to a file that exists', async () => {
      const { remote } = await open();
      await writeNew(remote, 'log.txt', Buffer.from('head\n'));
      const file = await remote.append('log.txt');
      await file.write(Buffer.from('..'));
      await file.write(Buffer.from('.'));
      await file.close();
      expect((await remote.readFile('log.txt', 100)).toString()).toBe('head\n...');
    });

    it('hashes files as stored (xxh128), small and large', async () => {
      const { remote } = await open();
      for (const size of [0, 1, 32 * 1024, 100_001, 9 * 1024 * 1024 + 7]) {
        const data = seededBytes(`h${size}`, size);
        await writeNew(remote, `h${size}.bin`, data);
        const h = await remote.hash(`h${size}.bin`);
        expect({ hash: h.hash, bytes: h.bytes }).toEqual({ hash: hashBytes(data), bytes: size });
        // Told the size to expect, it answers the same (and reads no further than the end).
        const told = await remote.hash(`h${size}.bin`, { size });
        expect({ hash: told.hash, bytes: told.bytes }).toEqual({
          hash: hashBytes(data),
          bytes: size,
        });
      }
      expect(await codeOf(remote.hash('nothing.bin'))).toBe('ENOENT');
    });

    it('removes files; a missing one is fine', async () => {
      const { remote } = await open();
      await writeNew(remote, 'gone.txt', Buffer.from('x'));
      await remote.remove('gone.txt');
      await remote.remove('gone.txt');
      expect(await remote.stat('gone.txt')).toBeUndefined();
    });

    it('refuses oversized small-file reads and paths that leave the root', async () => {
      const { remote } = await open();
      await writeNew(remote, 'ten.txt', Buffer.from('0123456789'));
      expect(await codeOf(remote.readFile('ten.txt', 5))).toBe('EFBIG');
      expect(await codeOf(remote.stat('../outside'))).toBe('EINVAL');
      expect(await codeOf(remote.create('a/../../x'))).toBe('EINVAL');
    });

    it('keeps names with spaces, accents and emoji', async () => {
      const { remote } = await open();
      const name = 'Hochzeit Müller 📷/IMG 0001 (1).CR2';
      await remote.mkdirs('Hochzeit Müller 📷');
      await writeNew(remote, name, Buffer.from('raw'));
      expect((await remote.list('Hochzeit Müller 📷'))?.map((e) => e.name)).toEqual([
        'IMG 0001 (1).CR2',
      ]);
      expect((await remote.hash(name)).hash).toBe(hashBytes(Buffer.from('raw')));
    });

    it('an aborted file is closed and can be removed', async () => {
      const { remote } = await open();
      const file = await remote.create('partial.part');
      await file.write(seededBytes('p', 200_000));
      await file.abort();
      await remote.remove('partial.part');
      expect(await remote.stat('partial.part')).toBeUndefined();
    });
  });
}
