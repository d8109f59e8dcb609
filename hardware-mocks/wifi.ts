import * as fs from 'node:fs/promises';
import { join } from 'node:path';

/** What the simulated Wi-Fi shows: which manager runs, and the network the box is on. */
export interface WifiState {
  readonly manager: 'networkmanager' | 'wpa_supplicant' | 'none';
  /** The SSID the box is connected to, undefined when it is on none. */
  readonly ssid?: string;
  /** Other networks in range (NetworkManager lists them too). */
  readonly nearby?: readonly string[];
}

/**
 * Fake `nmcli` and `wpa_cli` executables in `dir` (put it first on PATH) that answer like the
 * real tools from a state file, so the real driver, which spawns them, runs against them.
 * setWifiState() changes what they answer (the box walks into the house).
 */
export async function installFakeWifiTools(dir: string, state: WifiState): Promise<void> {
  await fs.mkdir(dir, { recursive: true });
  await setWifiState(dir, state);
  const stateFile = join(dir, 'wifi-state.json');
  const node = process.execPath;
  const read = `const s = JSON.parse(require('fs').readFileSync(${JSON.stringify(stateFile)}, 'utf8'));`;
  // nmcli: "general" tells whether NetworkManager runs; "device wifi list" prints terse ACTIVE:SSID lines.
  const nmcli = `${read}
const args = process.argv.slice(2).join(' ');
if (s.manager !== 'networkmanager') { console.error('Error: NetworkManager is not running.'); process.exit(8); }
if (args.includes('general')) { console.log('running'); process.exit(0); }
const esc = (t) => t.replace(/\\\\/g, '\\\\\\\\').replace(/:/g, '\\\\:');
for (const n of s.nearby ?? []) console.log('no:' + esc(n));
if (s.ssid !== undefined) console.log('yes:' + esc(s.ssid));
`;
  // wpa_cli status: key=value lines; ssid= only while associated.
  const wpa = `${read}
if (s.manager !== 'wpa_supplicant') { console.error("Failed to connect to non-global ctrl_ifname: (nil)  error: No such file or directory"); process.exit(255); }
console.log("Selected interface 'wlan0'");
if (s.ssid === undefined) { console.log('wpa_state=DISCONNECTED'); console.log('address=b8:27:eb:00:00:01'); process.exit(0); }
console.log('bssid=10:20:30:40:50:60'); console.log('freq=2437'); console.log('ssid=' + s.ssid);
console.log('id=0'); console.log('mode=station'); console.log('key_mgmt=WPA2-PSK'); console.log('wpa_state=COMPLETED');
console.log('ip_address=192.168.1.23');
`;
  for (const [name, body] of [
    ['nmcli', nmcli],
    ['wpa_cli', wpa],
  ] as const) {
    await fs.writeFile(join(dir, `${name}.cjs`), body);
    await fs.writeFile(
      join(dir, name),
      `#!/bin/sh\nexec ${JSON.stringify(node)} ${JSON.stringify(join(dir, `${name}.cjs`))} "$@"\n`,
      {
        mode: 0o755,
      },
    );
  }
}

export async function setWifiState(dir: string, state: WifiState): Promise<void> {
  await fs.writeFile(join(dir, 'wifi-state.json'), JSON.stringify(state));
}
