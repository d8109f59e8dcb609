import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { installFakeWifiTools, setWifiState } from '../../../hardware-mocks/wifi.js';
import {
  activeSsidFromNmcli,
  runCommand,
  ssidFromWpaStatus,
  SystemNetworkState,
  type CommandRunner,
} from '../../../src/hardware/drivers/index.js';
import { tempDir } from '../../helpers/tmp.js';

// What the real tools print (NetworkManager 1.42, wpa_supplicant 2.10 on Raspberry Pi OS).
const NMCLI_LIST = 'no:Neighbours 5G\nyes:Home\\: upstairs\nno:\n';
const WPA_STATUS = `Selected interface 'wlan0'
bssid=10:20:30:40:50:60
freq=5180
ssid=Caf\\xc3\\xa9 \\"Studio\\"
id=0
mode=station
pairwise_cipher=CCMP
key_mgmt=WPA2-PSK
wpa_state=COMPLETED
ip_address=192.168.1.23
`;

describe('current SSID from the OS', () => {
  it('parses nmcli terse output, escapes included', () => {
    expect(activeSsidFromNmcli(NMCLI_LIST)).toBe('Home: upstairs');
    expect(activeSsidFromNmcli('no:Neighbours\n')).toBeUndefined();
  });

  it('parses wpa_cli status, only once associated, with its escapes', () => {
    expect(ssidFromWpaStatus(WPA_STATUS)).toBe('Café "Studio"');
    expect(ssidFromWpaStatus(WPA_STATUS.replace('COMPLETED', 'ASSOCIATING'))).toBeUndefined();
    expect(
      ssidFromWpaStatus("Selected interface 'wlan0'\nwpa_state=DISCONNECTED\n"),
    ).toBeUndefined();
  });

  it('asks NetworkManager when it runs, else wpa_supplicant, with the interface configured', async () => {
    const calls: string[] = [];
    const scripted =
      (answers: Record<string, { code: number; stdout: string }>): CommandRunner =>
      (cmd, args) => {
        calls.push(`${cmd} ${args.join(' ')}`);
        return Promise.resolve({ stderr: '', ...(answers[cmd] ?? { code: 127, stdout: '' }) });
      };
    const nm = new SystemNetworkState({
      run: scripted({ nmcli: { code: 0, stdout: 'running\n' } }),
    });
    expect(await nm.currentSsid()).toBeUndefined();
    const wpa = new SystemNetworkState({
      wifiInterface: 'wlan1',
      run: scripted({ nmcli: { code: 8, stdout: '' }, wpa_cli: { code: 0, stdout: WPA_STATUS } }),
    });
    expect(await wpa.currentSsid()).toBe('Café "Studio"');
    expect(calls).toContain('wpa_cli -i wlan1 status');
    expect(await new SystemNetworkState({ run: scripted({}) }).currentSsid()).toBeUndefined();
  });

  it('runs the real tools: fake nmcli and wpa_cli on PATH answer like the real ones', async () => {
    const dir = await tempDir();
    const bin = join(dir, 'bin');
    await installFakeWifiTools(bin, {
      manager: 'networkmanager',
      ssid: 'Home: upstairs',
      nearby: ['Neighbours'],
    });
    const run: CommandRunner = (cmd, args, t) => runCommand(join(bin, cmd), args, t);
    const state = new SystemNetworkState({ run });
    expect(await state.currentSsid()).toBe('Home: upstairs');
    await setWifiState(bin, { manager: 'networkmanager' });
    expect(await state.currentSsid()).toBeUndefined();
    await setWifiState(bin, { manager: 'wpa_supplicant', ssid: 'Studio' });
    expect(await state.currentSsid()).toBe('Studio');
    await setWifiState(bin, { manager: 'none' });
    expect(await state.currentSsid()).toBeUndefined();
  });

  it('a tool that is not installed is code 127, not a crash', async () => {
    expect(await runCommand('/nonexistent/nmcli', [], 1000)).toMatchObject({ code: 127 });
  });
});
