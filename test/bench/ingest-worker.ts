/**
 * One measured run in a fresh process, so that its CPU time and peak RSS are its own:
 *   floor  <card> <destA> <destB>   read each file once, write two copies with fsync, read both back (O_DIRECT)
 *   ingest <card> <vaultA> <vaultB> <home>   FieldBackup's ingest through the public API
 *   plan   <card>   only the plan: tier facts of every file from ExifTool (-fast2), tiers decided
 *   ingest-meta <card> <vaultA> <vaultB> <home>   the same with the metadata indexer, drained before the clock stops
 * Prints one JSON line: wallMs, userMs, systemMs, maxRssMB, bytes.
 */
import { constants } from 'node:fs';
import * as fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import {
  Catalog,
  createExifTool,
  ExifToolMetadataReader,
  ExifToolPlanTagReader,
  FolderSource,
  DEFAULT_TIERS,
  ingest,
  planIngest,
  type SourceEntry,
  MetadataIndexer,
} from '../../src/index.js';
import { processUsage } from './measure.js';

const CHUNK = 4 * 1024 * 1024;
const directIo = createRequire(import.meta.url)('@ronomon/direct-io') as {
  getAlignedBuffer(size: number, alignment: number): Buffer;
};

async function listFiles(root: string): Promise<string[]> {
  const entries = await fs.readdir(root, { recursive: true, withFileTypes: true });
  return entries
    .filter((d) => d.isFile())
    .map((d) => join(d.parentPath, d.name))
    .sort();
}

async function readBack(path: string, buffer: Buffer): Promise<void> {
  const handle = await fs.open(path, constants.O_RDONLY | constants.O_DIRECT);
  try {
    for (let pos = 0; ;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, pos);
      pos += bytesRead;
      if (bytesRead < buffer.length) break;
    }
  } finally {
    await handle.close();
  }
}

async function floor(card: string, destA: string, destB: string): Promise<number> {
  let bytes = 0;
  const backA = directIo.getAlignedBuffer(8 * 1024 * 1024, 4096);
  const backB = directIo.getAlignedBuffer(8 * 1024 * 1024, 4096);
  for (const file of await listFiles(card)) {
    const rel = relative(card, file);
    const targets = [join(destA, rel), join(destB, rel)];
    await Promise.all(targets.map((t) => fs.mkdir(dirname(t), { recursive: true })));
    const src = await fs.open(file, 'r');
    const outs = await Promise.all(targets.map((t) => fs.open(t, 'wx')));
    for (let pos = 0; ;) {
      const buffer = Buffer.allocUnsafe(CHUNK);
      const { bytesRead } = await src.read(buffer, 0, CHUNK, pos);
      if (bytesRead === 0) break;
      pos += bytesRead;
      bytes += bytesRead;
      await Promise.all(outs.map((o) => o.write(buffer, 0, bytesRead)));
    }
    await Promise.all(
      outs.map(async (o) => {
        await o.sync();
        await o.close();
      }),
    );
    await src.close();
    await Promise.all([readBack(targets[0]!, backA), readBack(targets[1]!, backB)]);
  }
  return bytes;
}

async function ours(
  card: string,
  vaultA: string,
  vaultB: string,
  home: string,
  metadata: boolean,
): Promise<number> {
  const catalog = await Catalog.open(home);
  const exiftool = createExifTool();
  const indexTool = createExifTool({ background: true });
  try {
    const indexer = metadata
      ? new MetadataIndexer({ catalog, reader: new ExifToolMetadataReader(indexTool) })
      : undefined;
    const done = await ingest({
      source: new FolderSource(card),
      vaults: [vaultA, vaultB],
      catalog,
      tags: new ExifToolPlanTagReader(exiftool),
      ...(indexer === undefined ? {} : { indexer }),
    });
    if (done.exitCode !== 0) throw new Error(`ingest failed: ${JSON.stringify(done)}`);
    const indexed = await indexer?.drain();
    if (indexed !== undefined && indexed.files !== done.files)
      throw new Error(`indexed ${indexed.files} of ${done.files} files`);
    return done.bytesRead;
  } finally {
    await exiftool.end();
    await indexTool.end();
    await catalog.close();
  }
}

/** Plans the card as an ingest does; "bytes" is the number of files planned. */
async function plan(card: string): Promise<number> {
  const source = new FolderSource(card);
  const entries: SourceEntry[] = [];
  for await (const e of source.entries(() => undefined)) entries.push(e);
  const exiftool = createExifTool();
  try {
    const planned = await planIngest(entries, {
      tierRule: DEFAULT_TIERS.decide,
      tierOrder: DEFAULT_TIERS.order,
      tags: new ExifToolPlanTagReader(exiftool),
      localPath: (e) => source.localPath(e),
    });
    return planned.length;
  } finally {
    await exiftool.end();
  }
}

const [mode, ...args] = process.argv.slice(2);
const started = performance.now();
const bytes =
  mode === 'floor'
    ? await floor(args[0]!, args[1]!, args[2]!)
    : mode === 'plan'
      ? await plan(args[0]!)
      : await ours(args[0]!, args[1]!, args[2]!, args[3]!, mode === 'ingest-meta');
// CPU of waited-for children (the ExifTool perl processes): /proc/self/stat cutime and cstime, in ticks.
const stat = (await fs.readFile('/proc/self/stat', 'utf8')).split(') ')[1]!.split(' ');
const ticks = 100;
console.log(
  JSON.stringify({
    ...processUsage(started),
    childCpuMs: ((Number(stat[13]) + Number(stat[14])) * 1000) / ticks,
    bytes,
  }),
);
