import * as fs from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { asContentHash } from '../../../src/core/index.js';
import {
  checkMhlHistory,
  DEFAULT_IGNORE,
  readMhlHistory,
  removedPattern,
  writeMhlGeneration,
  type MhlEntry,
} from '../../../src/vault/index.js';
import { ascmhlMissing, hasPathspec, validateMhlFolder } from '../../helpers/ascmhl-check.js';
import { hasCommand, prerequisite } from '../../helpers/prereq.js';
import { tempDir } from '../../helpers/tmp.js';

const H = '0123456789abcdef0123456789abcdef';
const entry = (path: string): MhlEntry => ({
  path,
  size: 5,
  modified: new Date('2026-03-07T09:00:00Z'),
  hash: asContentHash(H),
  hashDate: new Date('2026-03-07T10:00:00Z'),
  action: 'original',
});
let minute = 0;
const at = (): { now: Date; toolVersion: string } => ({
  now: new Date(Date.UTC(2026, 2, 7, 10, minute++)),
  toolVersion: '0.1.0',
});

/** A vault's Photos/ folder with these files on disk (5 bytes each). */
async function photos(files: readonly string[]): Promise<{ photos: string; mhl: string }> {
  const dir = join(await tempDir(), 'Photos');
  for (const f of files) {
    await fs.mkdir(dirname(join(dir, f)), { recursive: true });
    await fs.writeFile(join(dir, f), 'bytes');
  }
  return { photos: dir, mhl: join(dir, 'ascmhl') };
}

describe('removals in an ASC MHL history', () => {
  it('are added to the ignore list, carried on by every later generation, and dropped when the file is listed again', async () => {
    const v = await photos(['a/1.CR2', 'a/3.CR2', 'a/4.CR2']);
    await writeMhlGeneration(v.mhl, ['a/1.CR2', 'a/2.CR2', 'a/3.CR2'].map(entry), at());
    expect((await readMhlHistory(v.mhl)).ignore).toEqual(DEFAULT_IGNORE);
    await writeMhlGeneration(v.mhl, [], {
      ...at(),
      process: 'in-place',
      removed: ['a/2.CR2'],
    });
    await writeMhlGeneration(v.mhl, [entry('a/4.CR2')], at());
    const history = await readMhlHistory(v.mhl);
    expect(history.generations.map((g) => g.sequence)).toEqual([1, 2, 3]);
    expect(history.ignore).toEqual([...DEFAULT_IGNORE, removedPattern('a/2.CR2')]);
    expect([...history.files.keys()].sort()).toEqual(['a/1.CR2', 'a/2.CR2', 'a/3.CR2', 'a/4.CR2']);
    expect(await checkMhlHistory(v.photos, v.mhl)).toEqual({ listed: 4, ignored: 1, problems: [] });

    // The copy comes back (a pick): listed again, no longer ignored.
    await fs.writeFile(join(v.photos, 'a/2.CR2'), 'bytes');
    await writeMhlGeneration(v.mhl, [entry('a/2.CR2')], at());
    expect((await readMhlHistory(v.mhl)).ignore).toEqual(DEFAULT_IGNORE);
    expect((await checkMhlHistory(v.photos, v.mhl)).problems).toEqual([]);
    if (prerequisite('xmllint', hasCommand('xmllint'))) await validateMhlFolder(v.mhl);
  });

  it('a listed file that is gone without a record is reported missing; the folder itself is not', async () => {
    const v = await photos(['x/keep.JPG']);
    await writeMhlGeneration(v.mhl, [entry('x/keep.JPG'), entry('x/lost.JPG')], at());
    const { problems } = await checkMhlHistory(v.photos, v.mhl);
    expect(problems).toEqual([
      {
        kind: 'missing',
        path: 'x/lost.JPG',
        detail: 'listed in generation 1 of the ASC MHL history, not in the folder, and not ignored',
      },
    ]);
    if (prerequisite('python3-pathspec', hasPathspec()))
      expect(ascmhlMissing(dirname(v.photos))).toEqual(['x/lost.JPG']);
  });

  it('escapes wildcards so a removal matches that one file only, for our reader and for ascmhl', async () => {
    const odd = [
      'w/a[1].CR2',
      'w/st*r?.JPG',
      'w/back\\slash.JPG',
      'w/#hash.JPG',
      'w/!bang.JPG',
      'w/trailing ',
      'w/Café 日本 & <x>.JPG',
    ];
    // Files a careless pattern would also match: still listed, gone, and so reported.
    const lookalikes = ['w/a1.CR2', 'w/stXrY.JPG', 'w/trailing', 'v/w/a[1].CR2x'];
    const v = await photos([]);
    await writeMhlGeneration(v.mhl, [...odd, ...lookalikes].map(entry), at());
    await writeMhlGeneration(v.mhl, [], { ...at(), removed: odd });
    const { problems } = await checkMhlHistory(v.photos, v.mhl);
    expect(problems.map((p) => (p.kind === 'missing' ? p.path : p.file)).sort()).toEqual(
      [...lookalikes].sort(),
    );
    if (prerequisite('python3-pathspec', hasPathspec()))
      expect(ascmhlMissing(dirname(v.photos))).toEqual([...lookalikes].sort());
    if (prerequisite('xmllint', hasCommand('xmllint'))) await validateMhlFolder(v.mhl);
  });

  it('names a generation changed after it was written, one the chain lacks, and a chain entry without its file', async () => {
    const v = await photos(['a.JPG']);
    const g1 = await writeMhlGeneration(v.mhl, [entry('a.JPG')], at());
    const g2 = await writeMhlGeneration(v.mhl, [], at());
    const g3 = await writeMhlGeneration(v.mhl, [], at());
    const text = await fs.readFile(join(v.mhl, g1.file), 'utf8');
    await fs.writeFile(join(v.mhl, g1.file), text.replace('fieldbackup</tool>', 'edited</tool>'));
    await fs.rm(join(v.mhl, g2.file));
    // A generation a crash left out of the chain (written, chain not yet rewritten).
    const orphan = g3.file.replace(/^0003/, '0004');
    await fs.copyFile(join(v.mhl, g3.file), join(v.mhl, orphan));
    const { problems } = await checkMhlHistory(v.photos, v.mhl);
    expect(problems).toEqual([
      {
        kind: 'chain',
        file: g1.file,
        detail: 'its C4 id is not the one in ascmhl_chain.xml: the generation was changed',
      },
      { kind: 'chain', file: orphan, detail: 'not in ascmhl_chain.xml' },
      { kind: 'chain', file: g2.file, detail: 'in ascmhl_chain.xml but not in the folder' },
    ]);
  });

  it('refuses to write after a latest generation it cannot read, naming it, and writes nothing', async () => {
    const v = await photos([]);
    const g1 = await writeMhlGeneration(v.mhl, [entry('a.JPG')], at());
    await fs.writeFile(join(v.mhl, g1.file), 'not xml at all');
    await expect(writeMhlGeneration(v.mhl, [], { ...at(), removed: ['a.JPG'] })).rejects.toThrow(
      `cannot read the latest ASC MHL generation ${join(v.mhl, g1.file)}`,
    );
    expect((await fs.readdir(v.mhl)).filter((f) => f.endsWith('.mhl'))).toEqual([g1.file]);
  });

  it('is empty for a folder that has no history yet', async () => {
    const v = await photos(['a.JPG']);
    expect(await checkMhlHistory(v.photos, v.mhl)).toEqual({ listed: 0, ignored: 0, problems: [] });
  });
});
