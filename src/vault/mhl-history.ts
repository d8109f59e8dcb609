import * as fs from 'node:fs/promises';
import { join } from 'node:path';
import { errorMessage } from '../core/index.js';
import { errnoOf } from '../platform/index.js';
import { c4Id } from './c4.js';
import { listGenerations, readChain, type MhlGenerationInfo } from './mhl.js';
import { DEFAULT_IGNORE, ignoreMatcher } from './mhl-ignore.js';
import { parseGeneration } from './mhl-parse.js';

/** A file as the newest generation that lists it has it. */
export interface MhlListedFile {
  readonly sequence: number;
  readonly size?: number;
  readonly xxh128?: string;
}

/** What is wrong with a vault's ASC MHL history, as `ascmhl verify` would see it. */
export type MhlProblem =
  /** A generation that cannot be read, or the chain does not vouch for (absent, other C4 id). */
  | { readonly kind: 'chain'; readonly file: string; readonly detail: string }
  /** A file some generation lists, not ignored by the latest one, and not in the folder. */
  | { readonly kind: 'missing'; readonly path: string; readonly detail: string };

export interface MhlHistory {
  readonly generations: readonly MhlGenerationInfo[];
  /** Every path a generation lists (the history is their union), with its newest listing. */
  readonly files: ReadonlyMap<string, MhlListedFile>;
  /** The latest generation's ignore list (the defaults when it has none): what tools go by. */
  readonly ignore: readonly string[];
  readonly problems: readonly MhlProblem[];
}

/**
 * Reads an ASC MHL history (`<folder>/ascmhl/`) the way ascmhl does: every generation in
 * sequence order, each checked against the C4 id `ascmhl_chain.xml` gives it.
 */
export async function readMhlHistory(mhlDir: string): Promise<MhlHistory> {
  let generations: MhlGenerationInfo[];
  try {
    generations = await listGenerations(mhlDir);
  } catch (err) {
    if (errnoOf(err) === 'ENOENT')
      return { generations: [], files: new Map(), ignore: DEFAULT_IGNORE, problems: [] };
    throw err;
  }
  const chain = await readChain(mhlDir);
  const problems: MhlProblem[] = [];
  const files = new Map<string, MhlListedFile>();
  let ignore: readonly string[] = DEFAULT_IGNORE;
  for (const g of generations) {
    const bytes = await fs.readFile(join(mhlDir, g.file));
    const listed = chain.get(g.file);
    if (listed === undefined)
      problems.push({ kind: 'chain', file: g.file, detail: 'not in ascmhl_chain.xml' });
    else if (listed !== c4Id(bytes))
      problems.push({
        kind: 'chain',
        file: g.file,
        detail: 'its C4 id is not the one in ascmhl_chain.xml: the generation was changed',
      });
    try {
      const parsed = parseGeneration(bytes.toString('utf8'));
      for (const h of parsed.hashes)
        files.set(h.path, {
          sequence: g.sequence,
          ...(h.size === undefined ? {} : { size: h.size }),
          ...(h.xxh128 === undefined ? {} : { xxh128: h.xxh128 }),
        });
      ignore = parsed.ignore ?? DEFAULT_IGNORE;
    } catch (err) {
      problems.push({
        kind: 'chain',
        file: g.file,
        detail: `cannot be read: ${errorMessage(err)}`,
      });
    }
  }
  const onDisk = new Set(generations.map((g) => g.file));
  for (const file of chain.keys())
    if (!onDisk.has(file))
      problems.push({ kind: 'chain', file, detail: 'in ascmhl_chain.xml but not in the folder' });
  return { generations, files, ignore, problems };
}

/**
 * Checks a folder against its ASC MHL history like `ascmhl verify`'s completeness check: the
 * chain holds, and every file a generation lists is there unless the latest ignore list
 * matches it (how a removal on purpose is recorded). Hashes are not read here: scrub re-reads
 * every copy the catalog knows.
 */
export async function checkMhlHistory(
  folder: string,
  mhlDir: string,
): Promise<{ readonly listed: number; readonly ignored: number; readonly problems: MhlProblem[] }> {
  const history = await readMhlHistory(mhlDir);
  const problems = [...history.problems];
  const ignored = ignoreMatcher(history.ignore);
  let skipped = 0;
  for (const path of history.files.keys()) {
    if (ignored(path)) {
      skipped++;
      continue;
    }
    try {
      await fs.lstat(join(folder, ...path.split('/')));
    } catch (err) {
      if (errnoOf(err) !== 'ENOENT') throw err;
      problems.push({
        kind: 'missing',
        path,
        detail: `listed in generation ${history.files.get(path)?.sequence ?? '?'} of the ASC MHL history, not in the folder, and not ignored`,
      });
    }
  }
  return { listed: history.files.size, ignored: skipped, problems };
}
