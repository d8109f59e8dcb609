import { hostname } from 'node:os';
import { Catalog, homeDir } from '../../catalog/index.js';
import { FieldBackupError } from '../../core/index.js';
import { openLibusbBus } from '../../hardware/drivers/index.js';
import { IngestSession } from '../../ingest/index.js';
import { allIndexers } from '../../ingest/stacks/index.js';
import { createExifTool, ExifToolPlanTagReader } from '../../media/index.js';
import {
  CameraTether,
  HotFolder,
  initiatorGuid,
  PTPIP_PORT,
  PtpIpCameraConnector,
  runTether,
  UsbCameraConnector,
  type TetherEvent,
  type TetherFeed,
} from '../../tether/index.js';
import { Tiers } from '../../tiers/index.js';
import { cliConfig } from '../config.js';
import { formatBytes, jsonLine, type CliIo, writeProblem } from '../io.js';
import { tetherBackground } from './tether-background.js';

export interface TetherFlags {
  readonly usb?: boolean;
  readonly ptpip?: string;
  readonly watch?: string;
  readonly vault: readonly string[];
  readonly home?: string;
  readonly json?: boolean;
  readonly stableMs?: string;
  readonly pollMs?: string;
  readonly resumeSeconds?: string;
  readonly config?: string;
}

/**
 * Runs until Ctrl-C: every shot of a camera or hot folder on every vault, verified. Shots are
 * indexed in the background (search), and their stacks looked for once the camera pauses.
 */
export async function tetherCommand(io: CliIo, flags: TetherFlags): Promise<number> {
  const feed = await feedFor(flags);
  try {
    const config = await cliConfig(io, flags);
    const catalog = await Catalog.open(homeDir(flags.home ?? config.home, io.env));
    const exiftool = createExifTool();
    const indexTool = createExifTool({ background: true });
    try {
      const { indexer, stacking } = tetherBackground(
        io,
        flags.json === true,
        config,
        catalog,
        indexTool,
      );
      indexer.catchUp();
      const session = await IngestSession.open({
        vaults: flags.vault,
        catalog,
        tags: new ExifToolPlanTagReader(exiftool),
        tiers: Tiers.fromConfig(config.tiers),
        indexer: stacking === undefined ? indexer : allIndexers(indexer, stacking),
      });
      try {
        const done = await runTether(feed, session, {
          signal: io.interrupted?.() ?? new AbortController().signal,
          onEvent: (e) => (flags.json === true ? jsonLine(io, e) : human(io, e)),
        });
        // The last shots' stacks (those after the last pause), then the index summary.
        await stacking?.flush();
        await indexer.drain();
        return done.exitCode;
      } finally {
        await session.close();
      }
    } finally {
      await exiftool.end();
      await indexTool.end();
      await catalog.close();
    }
  } finally {
    await feed.close();
  }
}

function usage(message: string, field: string): FieldBackupError {
  return new FieldBackupError('E_USAGE', message, { subject: { field } });
}

function positive(value: string | undefined, field: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0)
    throw usage(`${field} must be a positive whole number, not ${JSON.stringify(value)}`, field);
  return n;
}

async function feedFor(flags: TetherFlags): Promise<TetherFeed> {
  const kinds = [flags.usb === true, flags.ptpip !== undefined, flags.watch !== undefined].filter(
    Boolean,
  ).length;
  if (kinds !== 1)
    throw usage('give exactly one of --usb, --ptpip HOST[:PORT] or --watch DIR', 'source');
  const resume = positive(flags.resumeSeconds, '--resume-seconds');
  const cameraOptions = resume === undefined ? {} : { resumeWindowMs: resume * 1000 };
  if (flags.watch !== undefined) {
    const stableMs = positive(flags.stableMs, '--stable-ms');
    const pollMs = positive(flags.pollMs, '--poll-ms');
    const folder = new HotFolder(flags.watch, {
      ...(stableMs === undefined ? {} : { stableMs }),
      ...(pollMs === undefined ? {} : { pollMs }),
    });
    await folder.identify(); // a folder that does not exist is a usage error, not something to wait for
    return folder;
  }
  if (flags.ptpip !== undefined) {
    const { host, port } = parseHostPort(flags.ptpip);
    const name = `FieldBackup ${hostname()}`;
    return new CameraTether(
      new PtpIpCameraConnector({ host, port, guid: initiatorGuid(name), friendlyName: name }),
      cameraOptions,
    );
  }
  return new CameraTether(new UsbCameraConnector(await openLibusbBus()), cameraOptions);
}

/** "192.168.1.20", "camera.local:15740", "[fe80::1]:15740". */
export function parseHostPort(text: string): { host: string; port: number } {
  const m = /^\[([^\]]+)\](?::(\d+))?$/.exec(text) ?? /^([^:[\]]+)(?::(\d+))?$/.exec(text);
  const port = m?.[2] === undefined ? PTPIP_PORT : Number(m[2]);
  if (m === null || m[1] === undefined || !(port >= 1 && port <= 65535)) {
    throw usage(
      `--ptpip wants HOST or HOST:PORT (IPv6 in brackets), not ${JSON.stringify(text)}`,
      '--ptpip',
    );
  }
  return { host: m[1], port };
}

function human(io: CliIo, e: TetherEvent): void {
  switch (e.event) {
    case 'waiting':
      io.stdout.write(`${e.message}\n`);
      return;
    case 'connected':
      io.stdout.write(
        `Connected to ${e.camera}${e.serial === undefined ? '' : ` (serial ${e.serial})`} at ${e.location}: ${e.files} files on it; watching for new shots (${e.detail}). Ctrl-C stops.\n`,
      );
      return;
    case 'shot': {
      const where =
        e.missing.length === 0
          ? e.copies.map((c) => c.vault).join(' + ')
          : `ONLY on ${e.copies.map((c) => c.vault).join(', ') || 'no vault'}`;
      io.stdout.write(
        `✓ ${e.file}  ${formatBytes(e.bytes)}  ${(e.latencyMs / 1000).toFixed(2)} s → ${where}\n`,
      );
      return;
    }
    case 'warning':
    case 'error':
      writeProblem(io, e);
      return;
    case 'disconnected':
      io.stdout.write(`Lost the camera (${e.message}); reconnecting.\n`);
      return;
    case 'done':
      io.stdout.write(
        `${e.shots} shot${e.shots === 1 ? '' : 's'} backed up${e.failed > 0 ? `, ${e.failed} FAILED (still on the camera)` : ''}${e.degraded > 0 ? `, ${e.degraded} on fewer vaults than asked` : ''}.\n`,
      );
  }
}
