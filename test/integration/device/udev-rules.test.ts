import * as fs from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const RULES = 'device/rootfs/etc/udev/rules.d';
const UNITS = 'device/rootfs/etc/systemd/system';

/*
 * systemd 252 (Debian 12, Raspberry Pi OS bookworm) has no `udevadm verify`, so the rule syntax
 * is checked here against udev(7): KEY[{attr}] OP "value", comma-separated, with match keys only
 * compared and assignment keys only assigned.
 */
const MATCH = new Set([
  'ACTION',
  'DEVPATH',
  'KERNEL',
  'KERNELS',
  'NAME',
  'SYMLINK',
  'SUBSYSTEM',
  'SUBSYSTEMS',
  'DRIVER',
  'DRIVERS',
  'ATTR',
  'ATTRS',
  'SYSCTL',
  'ENV',
  'CONST',
  'TAG',
  'TAGS',
  'TEST',
  'PROGRAM',
  'RESULT',
]);
const ASSIGN = new Set([
  'NAME',
  'SYMLINK',
  'OWNER',
  'GROUP',
  'MODE',
  'SECLABEL',
  'ATTR',
  'SYSCTL',
  'ENV',
  'TAG',
  'RUN',
  'LABEL',
  'GOTO',
  'IMPORT',
  'OPTIONS',
]);
const NEEDS_ATTR = new Set(['ATTR', 'ATTRS', 'ENV', 'SYSCTL', 'SECLABEL', 'CONST', 'IMPORT']);

interface Term {
  readonly key: string;
  readonly attr: string | undefined;
  readonly op: string;
  readonly value: string;
}

/** The rules of a file, continuation lines joined; throws on a term udev would not parse. */
function parseRules(text: string, file: string): Term[][] {
  const lines = text.replace(/\\\n/g, ' ').split('\n');
  const rules: Term[][] = [];
  lines.forEach((line, i) => {
    if (line.trim() === '' || line.trim().startsWith('#')) return;
    const term = /\s*([A-Z_]+)(?:\{([^}]+)\})?\s*(==|!=|\+=|-=|:=|=)\s*"([^"]*)"\s*(,|$)/y;
    const terms: Term[] = [];
    while (term.lastIndex < line.length) {
      const m = term.exec(line);
      if (m === null)
        throw new Error(`${file}:${i + 1}: cannot parse "${line.slice(term.lastIndex)}"`);
      const [, key = '', attr, op = '', value = ''] = m;
      const compare = op === '==' || op === '!=';
      if (compare && !MATCH.has(key)) throw new Error(`${file}:${i + 1}: ${key} cannot be matched`);
      if (!compare && !ASSIGN.has(key))
        throw new Error(`${file}:${i + 1}: ${key} cannot be assigned`);
      if (NEEDS_ATTR.has(key) && attr === undefined)
        throw new Error(`${file}:${i + 1}: ${key} needs {…}`);
      terms.push({ key, attr, op, value });
      if (m[5] === '') break;
    }
    rules.push(terms);
  });
  return rules;
}

async function ruleFiles(): Promise<Map<string, Term[][]>> {
  const files = new Map<string, Term[][]>();
  for (const name of (await fs.readdir(RULES)).sort())
    files.set(name, parseRules(await fs.readFile(join(RULES, name), 'utf8'), name));
  return files;
}

describe('udev rules', () => {
  it('parse as udev(7) rules, run after 60-persistent-storage.rules and jump only to labels they define', async () => {
    const files = await ruleFiles();
    expect([...files.keys()]).toEqual([
      '61-fieldbackup-cards.rules',
      '61-fieldbackup-vaults.rules',
    ]);
    for (const [name, rules] of files) {
      // ID_FS_TYPE and ID_FS_LABEL are read in 60-persistent-storage.rules.
      expect(name > '60-persistent-storage.rules', name).toBe(true);
      const labels = rules
        .flat()
        .filter((t) => t.key === 'LABEL')
        .map((t) => t.value);
      for (const jump of rules.flat().filter((t) => t.key === 'GOTO'))
        expect(labels, `${name}: GOTO ${jump.value}`).toContain(jump.value);
      for (const run of rules.flat().filter((t) => t.key === 'RUN'))
        expect(run.value, `${name}: RUN needs an absolute path`).toMatch(/^\//);
      // Every rule that acts also matches something (a bare assignment would hit every device).
      for (const rule of rules.filter((r) => !r.some((t) => t.key === 'LABEL')))
        expect(
          rule.some((t) => t.op === '==' || t.op === '!='),
          `${name}: ${JSON.stringify(rule)}`,
        ).toBe(true);
    }
  });

  it('mount each vault SSD with the mount unit whose What= is its label', async () => {
    const vaults = (await ruleFiles()).get('61-fieldbackup-vaults.rules') ?? [];
    const units = (await fs.readdir(UNITS)).filter((u) => u.endsWith('.mount'));
    expect(units).toEqual(['srv-fieldbackup-a.mount', 'srv-fieldbackup-b.mount']);
    for (const unit of units) {
      const text = await fs.readFile(join(UNITS, unit), 'utf8');
      const label = /^What=\/dev\/disk\/by-label\/(\S+)$/m.exec(text)?.[1];
      expect(label, unit).toBeDefined();
      const rule = vaults.find((r) =>
        r.some(
          (t) => t.key === 'ENV' && t.attr === 'ID_FS_LABEL' && t.op === '==' && t.value === label,
        ),
      );
      expect(rule, `${unit}: no rule for ${label}`).toBeDefined();
      expect(rule).toContainEqual({ key: 'ENV', attr: 'SYSTEMD_WANTS', op: '+=', value: unit });
      expect(rule).toContainEqual({ key: 'TAG', attr: undefined, op: '+=', value: 'systemd' });
    }
  });

  it('make only FAT/exFAT card partitions read-only, never a vault SSD', async () => {
    const cards = (await ruleFiles()).get('61-fieldbackup-cards.rules') ?? [];
    const setro = cards.filter((r) =>
      r.some((t) => t.key === 'RUN' && t.value.includes('--setro')),
    );
    expect(setro.length).toBeGreaterThan(0);
    for (const rule of setro) {
      expect(rule).toContainEqual({
        key: 'ENV',
        attr: 'ID_FS_TYPE',
        op: '==',
        value: 'vfat|exfat',
      });
      const removable = rule.some((t) => t.key === 'ATTRS' && t.attr === 'removable');
      if (removable)
        expect(rule).toContainEqual({
          key: 'ENV',
          attr: 'ID_FS_LABEL',
          op: '!=',
          value: 'FBVAULT-*',
        });
      else
        expect(rule.some((t) => t.key === 'KERNEL' && t.value.startsWith('mmcblk[1-9]'))).toBe(
          true,
        );
    }
  });

  it('reject what udev would not parse (the checker itself)', () => {
    expect(() => parseRules('ACTION=="add", RUN+="/bin/true', 'x.rules')).toThrow(
      /x.rules:1: cannot parse/,
    );
    expect(() => parseRules('ACTION=="add", RUN=="/bin/true"', 'x.rules')).toThrow(
      /RUN cannot be matched/,
    );
    expect(() => parseRules('ENV=="1"', 'x.rules')).toThrow(/ENV needs/);
    expect(parseRules('KERNEL=="sd*", \\\n  ENV{A}="1"', 'x.rules')).toEqual([
      [
        { key: 'KERNEL', attr: undefined, op: '==', value: 'sd*' },
        { key: 'ENV', attr: 'A', op: '=', value: '1' },
      ],
    ]);
  });
});
