import * as fs from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { asContentHash, type BoxId } from '../../../src/core/index.js';
import {
  Archive,
  LocalRemote,
  manifestText,
  readManifests,
  RemoteVault,
  writeGeneration,
  type ManifestGeneration,
  type ManifestObject,
} from '../../../src/sync/index.js';
import { tempDir } from '../../helpers/tmp.js';

const H = (d: string) => asContentHash(d.repeat(32));
const A = { id: 'box-a' as BoxId, name: 'studio' };
const B = { id: 'box-b' as BoxId, name: 'laptop' };
const obj = (
  hash: string,
  path: string,
  files: ManifestObject['files'] = [],
  size = 10,
): ManifestObject => ({
  hash: H(hash),
  size,
  path,
  mtimeMs: 1000,
  tier: 'standard',
  files,
});
const gen = (
  box: typeof A,
  generation: number,
  created: string,
  objects: ManifestObject[],
  moves: ManifestGeneration['moves'] = [],
): ManifestGeneration => ({
  format: 'fieldbackup-manifest',
  formatVersion: 1,
  box,
  generation,
  created,
  tool: 'test',
  objects,
  moves,
});
const ref = (relPath: string, source = 'EOS_R5_07') => ({
  source,
  sourceId: `card-${source}`,
  relPath,
});

describe('the archive: the union of every box manifest', () => {
  it('each object once, at the path the first box gave it; per box its files and sources', () => {
    const archive = Archive.build([
      gen(B, 1, '2026-11-22T00:00:00Z', [
        obj('1', 'x/IMG_1.CR2', [ref('IMG_1.CR2')]),
        obj('2', 'x/IMG_2.CR2', [ref('IMG_2.CR2', 'EOS_R6')]),
      ]),
      gen(A, 1, '2026-11-21T00:00:00Z', [obj('1', 'y/IMG_1.CR2', [ref('IMG_1.CR2')], 10)]),
    ]);
    expect(archive.size).toBe(2);
    expect(archive.object(H('1'))?.path).toBe('y/IMG_1.CR2');
    expect(archive.holder('y/IMG_1.CR2')?.hash).toBe(H('1'));
    expect(archive.holder('x/IMG_1.CR2')).toBeUndefined();
    expect([...(archive.object(H('1'))?.boxes ?? [])].sort()).toEqual(['box-a', 'box-b']);
    const laptop = archive.boxes.find((b) => b.name === 'laptop');
    expect(laptop).toMatchObject({ generations: 1, lastSync: '2026-11-22T00:00:00Z' });
    expect([...(laptop?.sources ?? [])]).toEqual([
      ['EOS_R5_07', { files: 1, bytes: 10 }],
      ['EOS_R6', { files: 1, bytes: 10 }],
    ]);
    expect(archive.listed(A.id, H('1'), { sourceId: 'card-EOS_R5_07', relPath: 'IMG_1.CR2' })).toBe(
      true,
    );
    expect(archive.listed(A.id, H('2'))).toBe(false);
  });

  it("a later version of a file replaces the earlier one in the box's files, not in the archive", () => {
    const archive = Archive.build([
      gen(A, 1, '2026-11-21T00:00:00Z', [obj('1', 'p/IMG_1.xmp', [ref('IMG_1.xmp')], 100)]),
      gen(A, 2, '2026-11-22T00:00:00Z', [
        obj('2', 'p/IMG_1.conflict-20261122-000000-studio.xmp', [ref('IMG_1.xmp')], 120),
      ]),
    ]);
    expect(archive.size).toBe(2);
    expect(archive.boxes[0]?.files.get('card-EOS_R5_07\u0000IMG_1.xmp')).toBe(H('2'));
    expect(archive.boxes[0]?.sources.get('EOS_R5_07')).toEqual({ files: 1, bytes: 120 });
    expect(archive.keptBeside('p/IMG_1.xmp').map((o) => o.hash)).toEqual([H('2')]);
  });

  it('declared moves apply, chained in any order; unknown objects are ignored', () => {
    const archive = Archive.build([
      gen(A, 1, '2026-11-21T00:00:00Z', [obj('1', 'p/a.xmp')]),
      gen(
        B,
        1,
        '2026-11-22T00:00:00Z',
        [],
        [
          { hash: H('1'), from: 'p/b.xmp', to: 'p/c.xmp' },
          { hash: H('1'), from: 'p/a.xmp', to: 'p/b.xmp' },
          { hash: H('9'), from: 'q', to: 'r' },
        ],
      ),
    ]);
    expect(archive.object(H('1'))?.path).toBe('p/c.xmp');
    expect(archive.holder('p/a.xmp')).toBeUndefined();
    expect(archive.object(H('9'))).toBeUndefined();
    expect(archive.moves).toHaveLength(3);
  });
});

describe('manifest generations on the NAS', () => {
  it('numbers generations per box, writes them whole, reads them back in order; problems are named', async () => {
    const root = await tempDir();
    const vault = await RemoteVault.open(new LocalRemote(root), {
      init: true,
      now: new Date(),
      owner: A.id,
    });
    expect(
      await writeGeneration(
        vault,
        A,
        { objects: [obj('1', 'a')], moves: [] },
        new Date('2026-11-21T00:00:00Z'),
      ),
    ).toBe(1);
    expect(
      await writeGeneration(
        vault,
        A,
        { objects: [obj('2', 'b')], moves: [] },
        new Date('2026-11-22T00:00:00Z'),
      ),
    ).toBe(2);
    expect(await writeGeneration(vault, B, { objects: [], moves: [] }, new Date())).toBe(1);
    const dir = join(root, '.fieldbackup', 'manifests', A.id);
    expect((await fs.readdir(dir)).sort()).toEqual(['000001.json', '000002.json']);
    await fs.copyFile(join(dir, '000001.json'), join(dir, '000004.json'));
    const problems: string[] = [];
    const read = await readManifests(vault, (m) => problems.push(m));
    expect(read.map((g) => `${g.box.name}:${g.generation}`).sort()).toEqual([
      'laptop:1',
      'studio:1',
      'studio:2',
    ]);
    expect(problems.some((p) => p.includes('generations 3–3') && p.includes(A.id))).toBe(true);
    expect(problems.some((p) => p.includes('000004.json') && p.includes('generation 1'))).toBe(
      true,
    );
    const newer = JSON.parse(
      await fs.readFile(join(dir, '000002.json'), 'utf8'),
    ) as ManifestGeneration;
    await fs.writeFile(
      join(dir, '000005.json'),
      JSON.stringify({ ...newer, generation: 5, formatVersion: 2 }),
    );
    problems.length = 0;
    await readManifests(vault, (m) => problems.push(m));
    expect(problems.some((p) => p.includes('000005.json') && p.includes('newer FieldBackup'))).toBe(
      true,
    );
    expect(await writeGeneration(vault, A, { objects: [], moves: [] }, new Date())).toBe(6);
  });

  it('streams a large generation in chunks that make exactly the JSON of the whole document', async () => {
    const root = await tempDir();
    const vault = await RemoteVault.open(new LocalRemote(root), {
      init: true,
      now: new Date(),
      owner: A.id,
    });
    for (const count of [0, 1, 200, 201, 450]) {
      const objects = Array.from({ length: count }, (_, i) =>
        obj((i % 10).toString(), `2026/IMG_${i}.CR3`, [ref(`DCIM/IMG_${i}.CR3`)]),
      );
      const doc = gen(A, 1, '2026-11-25T00:00:00.000Z', objects, [
        { hash: H('a'), from: 'x', to: 'y' },
      ]);
      const chunks = [...manifestText(doc)];
      expect(chunks.join('')).toBe(`${JSON.stringify(doc)}\n`);
      expect(chunks.length).toBe(Math.floor(count / 200) + 1);
    }
    const many = Array.from({ length: 450 }, (_, i) => ({
      ...obj('c', `2026/IMG_${i}.CR3`, [ref(`DCIM/IMG_${i}.CR3`)]),
      hash: asContentHash(i.toString(16).padStart(32, '0')),
    }));
    await writeGeneration(vault, A, { objects: many, moves: [] }, new Date());
    const [read] = await readManifests(vault, (m) => expect.fail(m));
    expect(read?.objects).toEqual(many);
  });
});
