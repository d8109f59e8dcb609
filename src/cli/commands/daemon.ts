import { loadConfig, type Config } from '../../appliance/config/index.js';
import {
  Appliance,
  openBoxHardware,
  SystemdNotifier,
  type BoxParts,
} from '../../appliance/index.js';
import { Catalog, homeDir } from '../../catalog/index.js';
import { systemClock, type Logger } from '../../core/index.js';
import type { BoxStatus } from '../../status/index.js';
import { PairingCodes, showPairingCodes } from '../../web/index.js';
import { jsonLine, type CliIo } from '../io.js';
import { serveBoxPage } from './web.js';

export interface DaemonFlags {
  readonly config: string;
  readonly home?: string;
  readonly json?: boolean;
}

const phases = (s: BoxStatus): string =>
  `${s.mode} · card ${s.card.phase}${s.card.name === undefined ? '' : ` (${s.card.name})`} · camera ${s.tether.phase} · NAS ${s.sync.phase} · power ${s.power.source} ${s.power.percent === undefined ? '' : `${Math.round(s.power.percent)}% `}${s.power.level}`;

/** `fieldbackup daemon`: the box itself, until it is switched off or the service is stopped. */
export async function daemonCommand(io: CliIo, flags: DaemonFlags): Promise<number> {
  const config = await loadConfig(flags.config);
  const home = flags.home ?? config.home ?? homeDir(undefined, io.env);
  const logger: Logger = {
    log: (level, message, fields) => {
      if (flags.json === true) jsonLine(io, { event: 'log', level, message, ...fields });
      else io.stderr.write(`${level}: ${message}\n`);
    },
  };
  const parts = await openBoxHardware(config.hardware, {
    logger,
    ...(config.sync.wifiInterface === undefined
      ? {}
      : { wifiInterface: config.sync.wifiInterface }),
  });
  // One catalog for the box and its page: LMDB allows one environment per file and process.
  const catalog = await Catalog.open(home);
  try {
    return await runBox(io, flags, config, home, parts, logger, catalog);
  } finally {
    await catalog.close();
  }
}

async function runBox(
  io: CliIo,
  flags: DaemonFlags,
  config: Config,
  home: string,
  parts: BoxParts,
  logger: Logger,
  catalog: Catalog,
): Promise<number> {
  // Under systemd (Type=notify): READY/STOPPING from the box, watchdog pings, the phase as STATUS.
  const systemd = SystemdNotifier.fromEnv({ env: io.env, pid: process.pid, logger });
  const box = await Appliance.start({
    config,
    home,
    catalog,
    parts,
    logger,
    ...(systemd === undefined ? {} : { notify: (state: string) => systemd.notify(state) }),
  });
  systemd?.startWatchdog();
  // The page is a window on the box: if it cannot listen, the box still backs up cards. A phone
  // pairs with the code on the screen (or the config's password).
  const pairing = config.web.enabled ? new PairingCodes(systemClock) : undefined;
  const web =
    pairing !== undefined
      ? await serveBoxPage({ box, config, catalog, logger, pairing }).catch((err: unknown) => {
          logger.log(
            'error',
            `web page not served: ${err instanceof Error ? err.message : String(err)}`,
          );
          return undefined;
        })
      : undefined;
  let last = '';
  const hidePairing =
    web === undefined || pairing === undefined
      ? undefined
      : showPairingCodes(pairing, (code) => box.showPairingCode(code));
  const stop = box.onStatus((s) => {
    const line = phases(s);
    if (line !== last) systemd?.notify(`STATUS=${line}`);
    // The pairing code is for the screen only, never for the journal.
    const { pairing: _secret, ...shown } = s;
    if (flags.json === true) jsonLine(io, { event: 'status', ...shown });
    else if (line !== last) io.stdout.write(`${line}\n`);
    last = line;
  });
  const interrupted = io.interrupted?.();
  interrupted?.addEventListener('abort', () => void box.stop(), { once: true });
  const end = await box.whenEnded();
  stop();
  hidePairing?.();
  await web?.close();
  await systemd?.stop();
  io.stdout.write(
    flags.json === true ? '' : `FieldBackup ${end === 'off' ? 'switched off' : 'stopped'}.\n`,
  );
  if (flags.json === true) jsonLine(io, { event: 'end', end });
  return 0;
}
