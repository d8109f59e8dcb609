import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs/promises';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { asContentHash } from '../../../src/core/index.js';
import {
  c4Id,
  readChain,
  writeMhlGeneration,
  type MhlEntry,
  type MhlWriteOptions,
} from '../../../src/vault/index.js';
import { hasCommand, prerequisite } from '../../helpers/prereq.js';
import { tempDir } from '../../helpers/tmp.js';

const SPEC = fileURLToPath(new URL('../../../fixtures/spec/ascmhl', import.meta.url));
const options = (iso: string): MhlWriteOptions => ({
  now: new Date(iso),
  toolVersion: '0.1.0',
  comment: 'ingest of EOS_R5_07',
});
const entry = (path: string, hash: string, size = 1234): MhlEntry => ({
  path,
  size,
  modified: new Date('2026-03-07T09:05:03.500Z'),
  hash: asContentHash(hash),
  hashDate: new Date('2026-03-07T10:00:00.000Z'),
  action: 'original',
});
const H1 = '0123456789abcdef0123456789abcdef';
const H2 = 'fedcba9876543210fedcba9876543210';

interface ParsedGeneration {
  hashlist: { hashes: { hash: { path: string; xxh128: string }[] } };
}
const parse = (xml: string): ParsedGeneration =>
  new XMLParser({ isArray: (n) => n === 'hash', parseTagValue: false }).parse(
    xml,
  ) as ParsedGeneration;

async function mhlDir(): Promise<string> {
  return join(await tempDir(), 'Photos', 'ascmhl');
}

describe('writeMhlGeneration', () => {
  it('numbers generations 1, 2 and lists both in the chain with their C4 ids', async () => {
    const dir = await mhlDir();
    const g1 = await writeMhlGeneration(
      dir,
      [entry('2026/a.CR2', H1)],
      options('2026-03-07T10:00:00Z'),
    );
    const g2 = await writeMhlGeneration(
      dir,
      [entry('2026/b.CR2', H2)],
      options('2026-03-07T11:30:15Z'),
    );
    expect(g1).toEqual({ sequence: 1, file: '0001_Photos_2026-03-07_100000Z.mhl' });
    expect(g2).toEqual({ sequence: 2, file: '0002_Photos_2026-03-07_113015Z.mhl' });
    const chain = await readChain(dir);
    expect([...chain.keys()]).toEqual([g1.file, g2.file]);
    expect(chain.get(g1.file)).toBe(c4Id(await fs.readFile(join(dir, g1.file))));
    expect(chain.get(g2.file)).toBe(c4Id(await fs.readFile(join(dir, g2.file))));
    const chainXml = await fs.readFile(join(dir, 'ascmhl_chain.xml'), 'utf8');
    expect(chainXml).toMatch(/sequencenr="1"[\s\S]*sequencenr="2"/);
  });

  it('records each entry with size, times, action and hash', async () => {
    const dir = await mhlDir();
    const g = await writeMhlGeneration(
      dir,
      [entry('2026/a.CR2', H1, 777)],
      options('2026-03-07T10:00:00Z'),
    );
    const xml = await fs.readFile(join(dir, g.file), 'utf8');
    expect(xml).toContain(
      '<path size="777" lastmodificationdate="2026-03-07T09:05:03+00:00">2026/a.CR2</path>',
    );
    expect(xml).toContain(
      `<xxh128 action="original" hashdate="2026-03-07T10:00:00+00:00">${H1}</xxh128>`,
    );
    expect(xml).toContain('<tool version="0.1.0">fieldbackup</tool>');
    expect(xml).toContain('<comment>ingest of EOS_R5_07</comment>');
  });

  it('adds back a generation that is on disk but missing from the chain', async () => {
    const dir = await mhlDir();
    const g1 = await writeMhlGeneration(dir, [entry('a.CR2', H1)], options('2026-03-07T10:00:00Z'));
    // A crash between writing generation 2 and updating the chain.
    const orphan = '0002_Photos_2026-03-07_103000Z.mhl';
    await fs.copyFile(join(dir, g1.file), join(dir, orphan));
    await fs.appendFile(join(dir, orphan), '<!-- another generation -->\n');
    const g3 = await writeMhlGeneration(dir, [entry('c.CR2', H2)], options('2026-03-07T11:00:00Z'));
    expect(g3.sequence).toBe(3);
    const chain = await readChain(dir);
    expect([...chain.keys()]).toEqual([g1.file, orphan, g3.file]);
    expect(chain.get(orphan)).toBe(c4Id(await fs.readFile(join(dir, orphan))));
  });

  it('escapes &, <, > and quotes in paths and keeps unicode as is', async () => {
    const dir = await mhlDir();
    const name = `Tom & Jerry <"best">/Café 'ü' 日本.JPG`;
    const g = await writeMhlGeneration(dir, [entry(name, H1)], options('2026-03-07T10:00:00Z'));
    const xml = await fs.readFile(join(dir, g.file), 'utf8');
    expect(xml).toContain('Tom &amp; Jerry &lt;&quot;best&quot;&gt;/Café &apos;ü&apos; 日本.JPG');
    // A standard XML parser gives back the exact original path.
    expect(parse(xml).hashlist.hashes.hash[0]!.path).toBe(name);
  });

  it('writes a generation without hashes for an empty list', async () => {
    const dir = await mhlDir();
    const g = await writeMhlGeneration(dir, [], options('2026-03-07T10:00:00Z'));
    const xml = await fs.readFile(join(dir, g.file), 'utf8');
    expect(xml).not.toContain('<hashes>');
    expect(xml).toContain('</hashlist>');
  });

  it.runIf(prerequisite('xmllint', hasCommand('xmllint')))(
    'writes files that validate against the ASC MHL schemas',
    async () => {
      const dir = await mhlDir();
      await writeMhlGeneration(
        dir,
        [entry('2026/Tom & Jerry <1>.JPG', H1), entry('b.CR2', H2)],
        options('2026-03-07T10:00:00Z'),
      );
      const g2 = await writeMhlGeneration(dir, [], {
        now: new Date('2026-03-08T00:00:00Z'),
        toolVersion: '0.1.0',
      });
      const lint = (schema: string, file: string): void => {
        execFileSync('xmllint', ['--noout', '--schema', join(SPEC, schema), join(dir, file)], {
          stdio: 'pipe',
        });
      };
      lint('ASCMHL.xsd', '0001_Photos_2026-03-07_100000Z.mhl');
      lint('ASCMHL.xsd', g2.file);
      lint('ASCMHLDirectory.xsd', 'ascmhl_chain.xml');
    },
  );
});

describe('readChain', () => {
  it('is empty when there is no chain yet', async () => {
    const dir = await tempDir();
    expect((await readChain(dir)).size).toBe(0);
  });
});
