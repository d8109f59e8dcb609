import * as fs from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, parseConfig } from '../../../src/index.js';
import { tempDir } from '../../helpers/tmp.js';

describe('config', () => {
  it('fills defaults for what the file leaves out', () => {
    const config = parseConfig('version: 1\nvaults: [/media/ssd-a, /media/ssd-b]\n');
    expect(config).toMatchObject({
      version: 1,
      vaults: ['/media/ssd-a', '/media/ssd-b'],
      ingest: { concurrency: 2, paranoid: false },
      tiers: { default: 'standard', policies: {} },
      sync: { minBatteryPercent: 30, networks: [] },
      similarity: { profile: 'wildlife', profiles: {}, background: true, economy: { mode: 'off' } },
    });
    // A box without a `hardware` section: no screen, LEDs, button or gauge; drives via drivelist.
    expect(config.hardware).toMatchObject({
      panel: 'none',
      leds: 'none',
      button: 'none',
      ups: 'none',
      power: { lowPercent: 20, shutdownPercent: 8 },
      drives: { lister: 'drivelist', pollMs: 1000 },
    });
  });

  it('names the file and the field of a wrong value', () => {
    expect(() =>
      parseConfig('version: 1\ningest:\n  concurrency: 0\n', '/etc/fieldbackup.yaml'),
    ).toThrow(/\/etc\/fieldbackup\.yaml: field "ingest\.concurrency"/);
  });

  it('rejects an unknown key instead of ignoring a typo', () => {
    expect(() => parseConfig('version: 1\ningest:\n  paranoia: true\n')).toThrow(
      /field "ingest".*paranoia/,
    );
  });

  it('refuses a config newer than this FieldBackup', () => {
    let error: unknown;
    try {
      parseConfig('version: 9\n');
    } catch (err) {
      error = err;
    }
    expect(error).toMatchObject({ code: 'E_CONFIG', subject: { field: 'version' } });
  });

  it('says where the YAML is broken', () => {
    expect(() => parseConfig('version: 1\nvaults: [a, b\n', 'x.yaml')).toThrow(
      /x\.yaml: not valid YAML at line \d/,
    );
    expect(() => parseConfig('- just\n- a list\n')).toThrow(/must be a mapping/);
  });

  it('loads a file, and treats a missing optional file as the defaults', async () => {
    const dir = await tempDir();
    await fs.writeFile(join(dir, 'c.yaml'), 'version: 1\nhome: /var/lib/fieldbackup\n');
    expect((await loadConfig(join(dir, 'c.yaml'))).home).toBe('/var/lib/fieldbackup');
    expect((await loadConfig(join(dir, 'none.yaml'), false)).vaults).toEqual([]);
    await expect(loadConfig(join(dir, 'none.yaml'))).rejects.toMatchObject({ code: 'E_CONFIG' });
  });
});
