import * as fs from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateShoot } from '../../../fixtures/index.js';
import { SimulatedBox } from '../../../hardware-mocks/simulator/box.js';
import { readStatusFile, STATUS_FILE } from '../../../src/index.js';
import { cli } from '../../helpers/cli.js';
import { tempDir } from '../../helpers/tmp.js';

describe('fieldbackup daemon and the box status', () => {
  it('refuses a config with a wrong hardware field: exit 2, naming the file and the field', async () => {
    const dir = await tempDir();
    const config = join(dir, 'fieldbackup.yaml');
    await fs.writeFile(
      config,
      'version: 1\nhardware:\n  power: { lowPercent: 10, shutdownPercent: 15 }\n',
    );
    const r = await cli(['daemon', '--config', config, '--home', join(dir, 'home')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(config);
    expect(r.stderr).toContain('hardware.power.shutdownPercent');
  });

  it('fieldbackup status shows what the running box shows: the card, its verdict, the SSDs, the battery', async () => {
    const dir = await tempDir('fb-status-');
    const sim = await SimulatedBox.start({ dir, battery: { percent: 64, onMains: false } });
    try {
      await sim.plugSsd('SSD-A');
      await sim.plugSsd('SSD-B');
      const card = join(dir, 'EOS_DIGITAL');
      await generateShoot(card, { seed: 3, captures: 3, rawBytes: [100_000, 300_000], jpeg: true });
      sim.drives.insertCard(card, { label: 'EOS_DIGITAL' });
      await sim.waitFor(
        'safe',
        (s) => s.card.phase === 'safe' && s.card.job?.safeToFormat === true,
      );
      // The snapshot file is written shortly after each change: wait for the one that says so.
      const file = join(sim.home, STATUS_FILE);
      let phase: string | undefined;
      for (let i = 0; i < 100 && phase !== 'safe'; i++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        phase = (await readStatusFile(file))?.status.card.phase;
      }
      expect(phase).toBe('safe');
      const r = await cli(['status', '--home', sim.home]);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('Box: running');
      expect(r.stdout).toMatch(/Card: EOS_DIGITAL: safe to format, safe to remove/);
      expect(r.stdout).toContain('SSDs: SSD-A present, SSD-B present');
      expect(r.stdout).toMatch(/Power: battery, \d+% \(\d\.\d\d V\)/);
      const json = await cli(['status', '--home', sim.home, '--json']);
      const box = json.events.find((e) => e.event === 'box') as
        { live?: boolean; card?: { phase?: string } } | undefined;
      expect(box).toMatchObject({ live: true, card: { phase: 'safe' } });
    } finally {
      await sim.stop();
    }
  }, 240_000);
});
