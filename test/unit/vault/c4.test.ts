import { fileURLToPath } from 'node:url';
import { readFile } from 'node:fs/promises';
import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { c4Id } from '../../../src/vault/index.js';

const EXAMPLES = fileURLToPath(new URL('../../../fixtures/spec/ascmhl/examples', import.meta.url));
const GENERATION = '0002_A002R2EC_2020-01-17_143000Z.mhl';

describe('c4Id', () => {
  it('gives the SMPTE ST 2114 id of empty input', () => {
    expect(c4Id(new Uint8Array())).toBe(
      'c459dsjfscH38cYeXXYogktxf4Cd9ibshE3BHUo6a58hBXmRQdZrAkZzsWcbWtDg5oQstpDuni4Hirj75GEmTc1sFT',
    );
  });

  it('equals the c4 the ASC MHL example chain lists for its generation file', async () => {
    const chain = new XMLParser({ isArray: (n) => n === 'hashlist', parseTagValue: false }).parse(
      await readFile(`${EXAMPLES}/ascmhl_chain.xml`, 'utf8'),
    ) as { ascmhldirectory: { hashlist: { path: string; c4: string }[] } };
    const listed = chain.ascmhldirectory.hashlist.find((h) => h.path === GENERATION)?.c4;
    expect(listed).toMatch(/^c4/);
    expect(c4Id(await readFile(`${EXAMPLES}/${GENERATION}`))).toBe(listed);
  });

  it('is always 90 characters of "c4" and base58', () => {
    for (const input of ['', 'a', 'hello world', '\u0000'.repeat(1000)]) {
      const id = c4Id(Buffer.from(input));
      expect(id).toHaveLength(90);
      expect(id).toMatch(/^c4[1-9A-HJ-NP-Za-km-z]{88}$/);
    }
    expect(c4Id(Buffer.from('a'))).not.toBe(c4Id(Buffer.from('b')));
  });
});
