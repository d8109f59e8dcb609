import { Catalog, homeDir } from '../../catalog/index.js';
import { FieldBackupError } from '../../core/index.js';
import { search } from '../../restore/index.js';
import { EXIT_OK, jsonLine, type CliIo } from '../io.js';
import { captureJson, captureLines } from './format-capture.js';

export interface SearchFlags {
  readonly home?: string;
  readonly json?: boolean;
  readonly limit?: string;
  readonly desc?: boolean;
}

export async function searchCommand(
  io: CliIo,
  words: readonly string[],
  flags: SearchFlags,
): Promise<number> {
  const query = words.join(' ');
  const limit = flags.limit === undefined ? 100 : Number(flags.limit);
  if (!Number.isInteger(limit) || limit < 0)
    throw new FieldBackupError(
      'E_USAGE',
      `--limit must be a whole number (0 for all), not "${flags.limit}"`,
      {
        subject: { field: 'limit' },
      },
    );
  const catalog = await Catalog.open(homeDir(flags.home, io.env));
  try {
    const started = performance.now();
    const result = search(catalog, query, { limit, order: flags.desc === true ? 'desc' : 'asc' });
    const durationMs = Math.round((performance.now() - started) * 10) / 10;
    if (flags.json === true) {
      for (const c of result.captures) jsonLine(io, captureJson(c));
      jsonLine(io, {
        event: 'done',
        query,
        total: result.total,
        shown: result.captures.length,
        durationMs,
      });
      return EXIT_OK;
    }
    for (const c of result.captures) io.stdout.write(`${captureLines(c)}\n`);
    const more =
      result.total > result.captures.length
        ? ` (showing ${result.captures.length}; --limit 0 for all)`
        : '';
    io.stdout.write(`${result.total} captures${more} in ${durationMs} ms\n`);
    return EXIT_OK;
  } finally {
    await catalog.close();
  }
}
