import * as fs from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, parseConfig } from '../../../src/index.js';
import { cli } from '../../helpers/cli.js';
import { tempDir } from '../../helpers/tmp.js';

const CONFIG = 'device/rootfs/etc/fieldbackup/fieldbackup.yaml';
const CONFIG_TXT = 'device/boot/config.txt';
const SERVICE = 'device/rootfs/etc/systemd/system/fieldbackup.service';

/** The active (uncommented) lines of the config.txt block. */
const bootLines = async (): Promise<string[]> =>
  (await fs.readFile(CONFIG_TXT, 'utf8'))
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));

describe('the default fieldbackup.yaml of the image', () => {
  it('is valid for the config schema the daemon loads it with', async () => {
    const config = await loadConfig(CONFIG);
    expect(config.home).toBe('/var/lib/fieldbackup');
    expect(config.hardware.panel).not.toBe('none');
    expect(config.hardware.ups).not.toBe('none');
    expect(config.hardware.leds).not.toBe('none');
    expect(config.hardware.button).not.toBe('none');
  });

  it('is checked strictly: a typo in a key stops the box with the file and the field', async () => {
    const text = await fs.readFile(CONFIG, 'utf8');
    expect(() => parseConfig(text.replace('  leds:\n', '  led:\n'), 'fieldbackup.yaml')).toThrow(
      /fieldbackup.yaml: field "hardware(\.led)?"/,
    );
  });

  it('names the pins and buses that config.txt sets up', async () => {
    const config = await loadConfig(CONFIG);
    const boot = await bootLines();
    const hw = config.hardware;
    if (hw.panel === 'none' || hw.ups === 'none' || hw.leds === 'none' || hw.button === 'none')
      throw new Error('the shipped config must describe the shipped hardware');
    // e-ink on SPI0 CE0 → /dev/spidev0.0, which dtparam=spi=on creates.
    expect(boot).toContain('dtparam=spi=on');
    expect([hw.panel.spi.bus, hw.panel.spi.device]).toEqual([0, 0]);
    // Fuel gauge on I2C-1 → /dev/i2c-1, which dtparam=i2c_arm=on creates.
    expect(boot).toContain('dtparam=i2c_arm=on');
    expect(hw.ups.bus).toBe(1);
    // The button reads low when pressed: config.txt must pull it up (sysfs cannot).
    expect(hw.button.activeLow).toBe(true);
    expect(boot).toContain(`gpio=${hw.button.pin}=ip,pu`);
    // LEDs are outputs, off from boot.
    const leds = [hw.leds.green, hw.leds.amber, hw.leds.red];
    expect(boot).toContain(`gpio=${leds.join(',')}=op,dl`);
    // No pin is used twice, and none is an SPI/I2C pin or the gpio-poweroff pin.
    const poweroff = /^dtoverlay=gpio-poweroff,gpiopin=(\d+)/.exec(
      boot.find((l) => l.startsWith('dtoverlay=gpio-poweroff')) ?? '',
    );
    expect(poweroff).not.toBeNull();
    const pins = [
      ...leds,
      hw.button.pin,
      hw.panel.pins.dc,
      hw.panel.pins.rst,
      hw.panel.pins.busy,
      ...(hw.panel.pins.power === undefined ? [] : [hw.panel.pins.power]),
      Number(poweroff?.[1]),
      2,
      3,
      8,
      9,
      10,
      11, // I2C-1 SDA/SCL, SPI0 CE0/MISO/MOSI/SCLK
    ];
    expect(new Set(pins).size).toBe(pins.length);
  });

  it('is the file the service starts the daemon with', async () => {
    const unit = await fs.readFile(SERVICE, 'utf8');
    expect(unit).toMatch(
      /^ExecStart=\/usr\/local\/bin\/fieldbackup daemon --config \/etc\/fieldbackup\/fieldbackup.yaml$/m,
    );
    const config = await loadConfig(CONFIG);
    expect(unit).toContain(`FIELDBACKUP_HOME=${config.home}`);
    expect(unit).toContain(`RequiresMountsFor=${config.home}`);
  });

  it('stops the daemon with exit 2 on a typo, which the service does not restart in a loop', async () => {
    const dir = await tempDir();
    const text = await fs.readFile(CONFIG, 'utf8');
    await fs.writeFile(join(dir, 'fieldbackup.yaml'), text.replace('  leds:\n', '  led:\n'));
    const run = await cli(['daemon', '--config', join(dir, 'fieldbackup.yaml')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/fieldbackup.yaml: field "hardware(\.led)?"/);
    const unit = await fs.readFile(SERVICE, 'utf8');
    expect(unit).toMatch(/^Restart=on-failure$/m);
    expect(unit).toMatch(/^RestartPreventExitStatus=2$/m);
  });
});
