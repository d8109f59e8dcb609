import { Catalog, homeDir } from '../../catalog/index.js';
import {
  type IndexEvent,
  type IngestDoneEvent,
  type IngestEvent,
  type StackEvent,
} from '../../core/index.js';
import { FolderSource, ingest, MetadataIndexer } from '../../ingest/index.js';
import {
  allIndexers,
  BackgroundStacker,
  economyPolicy,
  resolveProfile,
} from '../../ingest/stacks/index.js';
import {
  createExifTool,
  ExifToolMetadataReader,
  ExifToolPlanTagReader,
} from '../../media/index.js';
import { ExifToolHintReader, MediaPreviewSource } from '../../media/similarity/index.js';
import { statusLines, Tiers } from '../../tiers/index.js';
import { cliConfig } from '../config.js';
import { formatBytes, formatDuration, jsonLine, type CliIo, writeProblem } from '../io.js';
import { ProgressBar } from '../progress-bar.js';

export interface IngestFlags {
  readonly vault: readonly string[];
  readonly home?: string;
  readonly json?: boolean;
  readonly paranoid?: boolean;
  readonly config?: string;
}

/** Files named in the summary's lists; `fieldbackup status` lists every one. */
const LIST_LIMIT = 20;

export async function ingestCommand(
  io: CliIo,
  sourcePath: string,
  flags: IngestFlags,
): Promise<number> {
  const config = await cliConfig(io, flags);
  const tiers = Tiers.fromConfig(config.tiers);
  const catalog = await Catalog.open(homeDir(flags.home ?? config.home, io.env));
  const exiftool = createExifTool();
  const bar = flags.json !== true && io.stdout.isTTY === true ? new ProgressBar(io) : undefined;
  // `done` means the copies are safe; the metadata index follows, and is waited for before exiting.
  const indexTool = createExifTool({ background: true });
  const indexer = new MetadataIndexer({
    catalog,
    reader: new ExifToolMetadataReader(indexTool),
    onEvent: (e) => (flags.json === true ? jsonLine(io, e) : indexHuman(io, e, bar)),
  });
  // Stacks are looked for after the copies are safe and indexed, from the vault copies.
  const stacker = config.similarity.background
    ? new BackgroundStacker({
        catalog,
        profile: resolveProfile(config.similarity),
        previews: new MediaPreviewSource(indexTool),
        hints: new ExifToolHintReader(indexTool),
        economy: { policy: economyPolicy(config.similarity), vaults: flags.vault },
        onEvent: (e) => (flags.json === true ? jsonLine(io, e) : stackHuman(io, e)),
      })
    : undefined;
  try {
    indexer.catchUp();
    const done = await ingest({
      source: new FolderSource(sourcePath),
      vaults: flags.vault,
      catalog,
      paranoid: flags.paranoid === true || config.ingest.paranoid,
      concurrency: config.ingest.concurrency,
      tiers,
      tags: new ExifToolPlanTagReader(exiftool),
      indexer: stacker === undefined ? indexer : allIndexers(indexer, stacker),
      economy: stacker?.economyLookup(),
      onEvent: (e) => (flags.json === true ? jsonLine(io, e) : human(io, e, bar)),
    });
    await indexer.drain();
    await stacker?.drain();
    return done.exitCode;
  } finally {
    bar?.clear();
    await exiftool.end();
    await indexTool.end();
    await catalog.close();
  }
}

function human(io: CliIo, e: IngestEvent, bar: ProgressBar | undefined): void {
  switch (e.event) {
    case 'start':
      io.stdout.write(
        `Ingesting ${e.source.name} (${e.source.location}): ${e.files} files, ${formatBytes(e.bytes)}\n`,
      );
      return;
    case 'progress':
      bar?.update(e);
      return;
    case 'warning':
    case 'error':
      // Files waiting for space are listed together in the summary.
      if (e.code === 'E_LOW_SPACE' && e.path !== undefined) return;
      bar?.clear();
      writeProblem(io, e);
      return;
    case 'file':
      return;
    case 'done':
      bar?.clear();
      io.stdout.write(summary(e));
  }
}

export function indexHuman(io: CliIo, e: IndexEvent, bar: ProgressBar | undefined): void {
  if (e.event === 'metadata') {
    if (e.status === 'ok') return;
    bar?.clear();
    io.stderr.write(
      e.status === 'unreadable'
        ? `warning: ${e.path}: metadata unreadable (${e.reason ?? 'unknown reason'}); the file is backed up byte-exact\n`
        : `warning: ${e.path}: metadata read with warnings: ${(e.warnings ?? []).join('; ')}\n`,
    );
    return;
  }
  io.stdout.write(
    `Indexed ${e.files} files in ${e.captures} captures: ${e.ok} ok, ${e.partial} with warnings, ${e.unreadable} unreadable (${e.known} already known) in ${formatDuration(e.durationMs / 1000)}\n`,
  );
}

export function stackHuman(io: CliIo, e: StackEvent): void {
  switch (e.event) {
    case 'stacks':
      if (e.frames === 0) return;
      io.stdout.write(
        `Stacks: ${e.bursts} bursts, ${e.brackets} brackets (${e.frames} of ${e.analysed} frames) in ${formatDuration(e.durationMs / 1000)}${e.skipped > 0 ? `; ${e.skipped} without an image to look at` : ''}\n`,
      );
      return;
    case 'stacks-failed':
      io.stderr.write(`warning: stacks not found: ${e.reason}\n`);
      return;
    case 'economy':
      if (e.skipped === undefined)
        io.stdout.write(
          `Stack economy: ${e.copies} extra copies of non-pick frames removed, ${formatBytes(e.bytes)} freed\n`,
        );
      for (const p of e.problems ?? []) io.stderr.write(`warning: ${p}\n`);
  }
}

function summary(d: IngestDoneEvent): string {
  const seconds = d.durationMs / 1000;
  const lines = [
    `${d.files} files: ${d.copied} copied, ${d.deduplicated} already held, ${d.unchanged} unchanged, ${d.failed} failed${d.waiting > 0 ? `, ${d.waiting} waiting for space` : ''}`,
    `${formatBytes(d.bytesWritten)} written in ${formatDuration(seconds)}${seconds > 0 ? ` (${formatBytes(d.bytesRead / seconds)}/s read)` : ''}`,
    ...d.vaults.map(
      (v) =>
        `  vault ${v.label} (${v.root}): ${v.available ? 'ok' : `UNAVAILABLE — ${v.problem ?? 'unknown problem'}`}`,
    ),
  ];
  lines.push(...statusLines(d, LIST_LIMIT));
  return `${lines.join('\n')}\n`;
}
