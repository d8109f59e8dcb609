import { Catalog, homeDir } from '../../catalog/index.js';
import { type SyncDoneEvent, type SyncEvent } from '../../core/index.js';
import { syncToNas } from '../../sync/index.js';
import { Tiers } from '../../tiers/index.js';
import { cliConfig } from '../config.js';
import { formatBytes, formatDuration, jsonLine, type CliIo, writeProblem } from '../io.js';
import { ProgressBar } from '../progress-bar.js';

export interface SyncFlags {
  readonly to: string;
  readonly identity?: string;
  readonly hostKey?: string;
  readonly init?: boolean;
  readonly allowLocal?: boolean;
  readonly label?: string;
  readonly vault?: readonly string[];
  readonly home?: string;
  readonly boxName?: string;
  readonly json?: boolean;
  readonly config?: string;
}

/** `fieldbackup sync`: Ctrl-C (or SIGTERM) pauses cleanly; running it again resumes. */
export async function syncCommand(io: CliIo, flags: SyncFlags): Promise<number> {
  const config = await cliConfig(io, flags);
  const tiers = Tiers.fromConfig(config.tiers);
  const catalog = await Catalog.open(homeDir(flags.home ?? config.home, io.env));
  const bar = flags.json !== true && io.stdout.isTTY === true ? new ProgressBar(io) : undefined;
  const pause = new AbortController();
  const onSignal = (): void => pause.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const done = await syncToNas({
      catalog,
      to: flags.to,
      identity: flags.identity ?? config.sync.identity,
      hostKey: flags.hostKey ?? config.sync.hostKey,
      init: flags.init === true,
      allowLocal: flags.allowLocal === true,
      label: flags.label,
      vaults: flags.vault,
      boxName: flags.boxName ?? config.sync.boxName,
      tiers,
      env: io.env,
      signal: pause.signal,
      onEvent: (e) => (flags.json === true ? jsonLine(io, e) : human(io, e, bar)),
    });
    return done.exitCode;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    bar?.clear();
    await catalog.close();
  }
}

function human(io: CliIo, e: SyncEvent, bar: ProgressBar | undefined): void {
  switch (e.event) {
    case 'start':
      io.stdout.write(
        `Syncing box "${e.box.name}" to NAS vault "${e.vault.label}" (${e.target}): ` +
          `${e.files} objects, ${e.toSend} to send (${formatBytes(e.bytesToSend)})\n`,
      );
      return;
    case 'progress':
      bar?.update(e);
      return;
    case 'conflict':
      bar?.clear();
      io.stdout.write(
        `conflict: ${e.path} edited in two places; the older version is kept as ${e.keptAs}\n`,
      );
      return;
    case 'warning':
    case 'error':
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

function summary(d: SyncDoneEvent): string {
  const seconds = d.durationMs / 1000;
  const lines = [
    `${d.sent} sent, ${d.adopted} found already in place, ${d.present} already on the NAS, ${d.failed} failed` +
      (d.conflicts > 0 ? `, ${d.conflicts} conflicts kept side by side` : ''),
    `${formatBytes(d.bytesSent)} sent in ${formatDuration(seconds)}${seconds > 0 && d.bytesSent > 0 ? ` (${formatBytes(d.bytesSent / seconds)}/s)` : ''}, ` +
      `${formatBytes(d.bytesVerified)} verified on the NAS` +
      (d.generation === null ? '' : `; manifest generation ${d.generation}`),
  ];
  lines.push(
    d.exitCode === 0
      ? 'Synced: every file of this box is verified on the NAS.'
      : d.interrupted
        ? 'NOT fully synced: the sync stopped early; run it again to resume.'
        : `NOT fully synced: ${d.files - d.present - d.sent - d.adopted} objects are not on the NAS (see the errors above).`,
  );
  return `${lines.join('\n')}\n`;
}
