import * as fs from 'node:fs/promises';
import { hostname } from 'node:os';
import { basename, join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { errorMessage, FieldBackupError, type ContentHash } from '../core/index.js';
import { errnoOf, mkdirDurable, writeFileAtomic } from '../platform/index.js';
import { c4Id } from './c4.js';
import { PHOTOS_DIR } from './layout.js';
import { nextIgnoreList } from './mhl-ignore.js';
import { parseGeneration } from './mhl-parse.js';

/** One file in an ASC MHL generation, its path relative to the vault's Photos/ folder. */
export interface MhlEntry {
  readonly path: string;
  readonly size: number;
  readonly modified: Date;
  readonly hash: ContentHash;
  readonly hashDate: Date;
  /** original: first hashed in this generation; verified: re-read and matched; failed: re-read and did not. */
  readonly action: 'original' | 'verified' | 'failed';
}

export interface MhlGenerationInfo {
  readonly sequence: number;
  readonly file: string;
}

export interface MhlWriteOptions {
  readonly now: Date;
  readonly toolVersion: string;
  readonly process?: 'transfer' | 'in-place';
  readonly comment?: string;
  /**
   * Photos/-relative paths of files removed on purpose since the last generation (the stack
   * economy's extra copies): added to the ignore list, which every later generation carries on.
   */
  readonly removed?: readonly string[];
}

const CHAIN_FILE = 'ascmhl_chain.xml';
const GENERATION_RE = /^(\d{4,})_.+\.mhl$/;

/**
 * Writes the next ASC MHL v2 generation into `<mhlDir>` and brings `ascmhl_chain.xml` up to
 * date. A generation that a crash left out of the chain is added back the next time. The
 * ignore list is the latest generation's, as ascmhl carries it on, with the removed files
 * added and the files listed again taken out.
 */
export async function writeMhlGeneration(
  mhlDir: string,
  entries: readonly MhlEntry[],
  options: MhlWriteOptions,
): Promise<MhlGenerationInfo> {
  await mkdirDurable(mhlDir);
  const onDisk = await listGenerations(mhlDir);
  const sequence = Math.max(0, ...onDisk.map((g) => g.sequence)) + 1;
  const file = `${String(sequence).padStart(4, '0')}_${PHOTOS_DIR}_${stamp(options.now)}Z.mhl`;
  const ignore = nextIgnoreList(
    await latestIgnoreList(mhlDir, onDisk.at(-1)),
    options.removed ?? [],
    entries.map((e) => e.path),
  );
  const xml = generationXml(entries, ignore, options);
  await writeFileAtomic(join(mhlDir, file), xml);
  await writeChain(mhlDir, [...onDisk, { sequence, file }]);
  return { sequence, file };
}

/** The generation files in `<mhlDir>`, in sequence order. */
export async function listGenerations(mhlDir: string): Promise<MhlGenerationInfo[]> {
  const names = await fs.readdir(mhlDir);
  return names
    .map((name) => ({ name, m: GENERATION_RE.exec(name) }))
    .filter((x): x is { name: string; m: RegExpExecArray } => x.m !== null)
    .map(({ name, m }) => ({ sequence: Number(m[1]), file: name }))
    .sort((a, b) => a.sequence - b.sequence);
}

async function writeChain(
  mhlDir: string,
  generations: readonly MhlGenerationInfo[],
): Promise<void> {
  const known = await readChain(mhlDir);
  const rows: string[] = [];
  for (const g of generations) {
    const c4 = known.get(g.file) ?? c4Id(await fs.readFile(join(mhlDir, g.file)));
    rows.push(
      `  <hashlist sequencenr="${g.sequence}">\n    <path>${escapeXml(g.file)}</path>\n    <c4>${c4}</c4>\n  </hashlist>`,
    );
  }
  const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<ascmhldirectory xmlns="urn:ASC:MHL:DIRECTORY:v2.0">\n${rows.join('\n')}\n</ascmhldirectory>\n`;
  await writeFileAtomic(join(mhlDir, CHAIN_FILE), xml, { replace: true });
}

/** file name → C4 id, from an existing chain file (empty if there is none yet). */
export async function readChain(mhlDir: string): Promise<Map<string, string>> {
  let text: string;
  try {
    text = await fs.readFile(join(mhlDir, CHAIN_FILE), 'utf8');
  } catch (err) {
    if (errnoOf(err) === 'ENOENT') return new Map();
    throw err;
  }
  const parser = new XMLParser({ isArray: (name) => name === 'hashlist', parseTagValue: false });
  const doc = parser.parse(text) as {
    ascmhldirectory?: { hashlist?: { path?: unknown; c4?: unknown }[] };
  };
  const map = new Map<string, string>();
  for (const h of doc.ascmhldirectory?.hashlist ?? []) {
    if (typeof h.path === 'string' && typeof h.c4 === 'string') map.set(basename(h.path), h.c4);
  }
  return map;
}

/** The ignore list of the latest generation; a generation that cannot be read is an error. */
async function latestIgnoreList(
  mhlDir: string,
  latest: MhlGenerationInfo | undefined,
): Promise<readonly string[] | undefined> {
  if (latest === undefined) return undefined;
  const path = join(mhlDir, latest.file);
  try {
    return parseGeneration(await fs.readFile(path, 'utf8')).ignore;
  } catch (err) {
    throw new FieldBackupError(
      'E_IO',
      `cannot read the latest ASC MHL generation ${path}: ${errorMessage(err)}`,
      { subject: { path }, cause: err },
    );
  }
}

function generationXml(
  entries: readonly MhlEntry[],
  ignore: readonly string[],
  options: MhlWriteOptions,
): string {
  const created = isoSeconds(options.now);
  const hashes = entries.map(
    (e) =>
      `    <hash>\n      <path size="${e.size}" lastmodificationdate="${isoSeconds(e.modified)}">${escapeXml(e.path)}</path>\n` +
      `      <xxh128 action="${e.action}" hashdate="${isoSeconds(e.hashDate)}">${e.hash}</xxh128>\n    </hash>`,
  );
  const comment =
    options.comment === undefined ? '' : `    <comment>${escapeXml(options.comment)}</comment>\n`;
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<hashlist version="2.0" xmlns="urn:ASC:MHL:v2.0">\n` +
    `  <creatorinfo>\n    <creationdate>${created}</creationdate>\n    <hostname>${escapeXml(hostname())}</hostname>\n` +
    `    <tool version="${escapeXml(options.toolVersion)}">fieldbackup</tool>\n${comment}  </creatorinfo>\n` +
    `  <processinfo>\n    <process>${options.process ?? 'transfer'}</process>\n` +
    // The schema wants at least one pattern in an <ignore>.
    (ignore.length > 0
      ? `    <ignore>\n${ignore.map((p) => `      <pattern>${escapeXml(p)}</pattern>\n`).join('')}    </ignore>\n`
      : '') +
    `  </processinfo>\n` +
    (hashes.length > 0 ? `  <hashes>\n${hashes.join('\n')}\n  </hashes>\n` : '') +
    `</hashlist>\n`
  );
}

function isoSeconds(d: Date): string {
  return `${d.toISOString().slice(0, 19)}+00:00`;
}

function stamp(d: Date): string {
  const iso = d.toISOString();
  return `${iso.slice(0, 10)}_${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}`;
}

function escapeXml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] ?? c,
  );
}
