import { type Config } from '../../appliance/config/index.js';
import { Catalog, homeDir } from '../../catalog/index.js';
import { FieldBackupError, type Logger } from '../../core/index.js';
import {
  BoxStatusSource,
  CatalogStatusSource,
  mountedVaults,
  PairingCodes,
  WebServer,
  type BoxStatusFeed,
} from '../../web/index.js';
import { cliConfig } from '../config.js';
import { EXIT_OK, jsonLine, type CliIo } from '../io.js';

export interface WebFlags {
  readonly config?: string;
  readonly home?: string;
  readonly vault?: string[];
  readonly port?: string;
  readonly json?: boolean;
}

/** Serves the page until interrupted; the pairing code is printed (the CLI's "screen"). */
export async function webCommand(io: CliIo, flags: WebFlags): Promise<number> {
  const config = await cliConfig(io, flags);
  const port = flags.port === undefined ? config.web.port : Number(flags.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new FieldBackupError('E_USAGE', `--port must be 0–65535, not "${flags.port}"`, {
      subject: { field: 'port' },
    });
  const roots = flags.vault ?? config.vaults;
  if (roots.length === 0)
    throw new FieldBackupError('E_USAGE', 'no vault: give --vault or list vaults in the config', {
      subject: { field: 'vault' },
    });
  const say = (event: string, fields: Record<string, unknown>, text: string): void => {
    if (flags.json === true) jsonLine(io, { event, ...fields });
    else io.stderr.write(`${text}\n`);
  };
  const logger: Logger = {
    log: (level, message, fields) => {
      if (level !== 'debug') say('log', { level, message, ...fields }, `${level}: ${message}`);
    },
  };
  const { vaults, missing } = await mountedVaults(roots);
  for (const m of missing)
    say('warning', { vault: m.root, message: m.reason }, `warning: ${m.reason}`);
  if (vaults.length === 0)
    throw new FieldBackupError('E_VAULT_MISSING', 'none of the vaults is mounted', {
      subject: { vault: roots.join(', ') },
    });
  const clock = { now: () => new Date(), monotonicMs: () => performance.now() };
  const catalog = await Catalog.open(config.home ?? homeDir(flags.home, io.env));
  const pairing = new PairingCodes(clock);
  const showCode = (): void => {
    const { code, expiresAt } = pairing.code();
    say(
      'pairing',
      { code, expiresAt },
      `Pairing code: ${code} (until ${new Date(expiresAt).toLocaleTimeString()})`,
    );
  };
  pairing.onChange(showCode);
  const server = await WebServer.create({
    config: { ...config.web, port },
    catalog,
    vaults,
    status: new CatalogStatusSource({ catalog, clock }),
    clock,
    logger,
    pairing,
  });
  try {
    const urls = await server.listen();
    say('listening', { urls }, `The box's page: ${urls.join('  ')}`);
    showCode();
    const signal = io.interrupted?.() ?? new AbortController().signal;
    await new Promise<void>((done) => {
      if (signal.aborted) done();
      signal.addEventListener('abort', () => done(), { once: true });
    });
    return EXIT_OK;
  } finally {
    await server.close();
    await catalog.close();
  }
}

/**
 * The daemon's web page (config `web.enabled`): status from the appliance's own status model,
 * photos and edits on the appliance's own catalog (one LMDB environment per process). The
 * pairing codes are the box's to show on its screen; until it does, the config password opens
 * a session. Returns the function that stops it (the catalog stays open: it is the box's).
 */
export async function serveBoxPage(options: {
  readonly box: BoxStatusFeed;
  readonly config: Config;
  readonly catalog: Catalog;
  readonly logger: Logger;
  readonly pairing?: PairingCodes;
}): Promise<{ urls: string[]; close(): Promise<void> }> {
  const { config, logger } = options;
  const clock = { now: () => new Date(), monotonicMs: () => performance.now() };
  const { vaults, missing } = await mountedVaults(config.vaults);
  for (const m of missing)
    logger.log('warn', 'web page: vault not mounted', { vault: m.root, reason: m.reason });
  const { catalog } = options;
  const server = await WebServer.create({
    config: config.web,
    catalog,
    vaults,
    status: new BoxStatusSource(options.box, catalog),
    clock,
    logger,
    ...(options.pairing === undefined ? {} : { pairing: options.pairing }),
  });
  const urls = await server.listen();
  return { urls, close: () => server.close() };
}
