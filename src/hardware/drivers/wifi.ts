import type { NetworkState } from '../ports/index.js';
import { runCommand, type CommandRunner } from './command.js';

const TIMEOUT_MS = 5_000;

/**
 * The current SSID from whichever Wi-Fi manager the OS runs: NetworkManager (`nmcli`) when its
 * daemon is running, else wpa_supplicant (`wpa_cli`). Neither answering means: on no network.
 */
export class SystemNetworkState implements NetworkState {
  constructor(
    private readonly options: {
      /** wpa_supplicant's interface (wpa_cli picks the first one when unset). */
      readonly wifiInterface?: string;
      readonly run?: CommandRunner;
    } = {},
  ) {}

  async currentSsid(): Promise<string | undefined> {
    const run = this.options.run ?? runCommand;
    const nm = await run('nmcli', ['-t', '-f', 'RUNNING', 'general'], TIMEOUT_MS);
    if (nm.code === 0 && nm.stdout.trim() === 'running') {
      const list = await run(
        'nmcli',
        ['-t', '-f', 'ACTIVE,SSID', 'device', 'wifi', 'list', '--rescan', 'no'],
        TIMEOUT_MS,
      );
      return list.code === 0 ? activeSsidFromNmcli(list.stdout) : undefined;
    }
    const iface = this.options.wifiInterface;
    const wpa = await run(
      'wpa_cli',
      [...(iface === undefined ? [] : ['-i', iface]), 'status'],
      TIMEOUT_MS,
    );
    return wpa.code === 0 ? ssidFromWpaStatus(wpa.stdout) : undefined;
  }
}

/** `nmcli -t -f ACTIVE,SSID device wifi list`: terse lines "yes:<ssid>", ':' and '\' escaped with '\'. */
export function activeSsidFromNmcli(stdout: string): string | undefined {
  for (const line of stdout.split('\n')) {
    const fields = splitTerse(line);
    if (fields[0] === 'yes' && fields[1] !== undefined && fields[1] !== '') return fields[1];
  }
  return undefined;
}

function splitTerse(line: string): string[] {
  const fields: string[] = [];
  let current = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '\\' && i + 1 < line.length) current += line[++i];
    else if (c === ':') {
      fields.push(current);
      current = '';
    } else current += c;
  }
  fields.push(current);
  return fields;
}

/** `wpa_cli status`: the ssid= line counts only once the association is complete. */
export function ssidFromWpaStatus(stdout: string): string | undefined {
  const values = new Map<string, string>();
  for (const line of stdout.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) values.set(line.slice(0, eq), line.slice(eq + 1).replace(/\r$/, ''));
  }
  const ssid = values.get('ssid');
  if (values.get('wpa_state') !== 'COMPLETED' || ssid === undefined || ssid === '')
    return undefined;
  return decodeWpaText(ssid);
}

/** wpa_supplicant prints SSIDs with printf-style escapes (\\, \", \n, \xNN) for anything unprintable. */
function decodeWpaText(text: string): string {
  const bytes: number[] = [];
  const simple: Record<string, number> = {
    '\\': 0x5c,
    '"': 0x22,
    n: 0x0a,
    r: 0x0d,
    t: 0x09,
    e: 0x1b,
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i] ?? '';
    const next = text[i + 1] ?? '';
    if (c === '\\' && next === 'x' && /^[0-9a-fA-F]{2}$/.test(text.slice(i + 2, i + 4))) {
      bytes.push(parseInt(text.slice(i + 2, i + 4), 16));
      i += 3;
    } else if (c === '\\' && simple[next] !== undefined) {
      bytes.push(simple[next]);
      i += 1;
    } else {
      bytes.push(...Buffer.from(c, 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}
