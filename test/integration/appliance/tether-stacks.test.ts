import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { SimulatedCamera } from '../../../hardware-mocks/ptp-camera/camera.js';
import { SimulatedBox } from '../../../hardware-mocks/simulator/box.js';
import { Catalog, search, StacksStore, statusOfJob } from '../../../src/index.js';
import { burstShoot } from '../../helpers/similar-set.js';
import { tempDir } from '../../helpers/tmp.js';
import { until } from '../../helpers/until.js';

describe('the box tethered to a camera on USB', () => {
  it('stacks a burst shot by shot: one stack, found by stack: search, in the job status', async () => {
    const dir = await tempDir('fb-box-');
    const shoot = await burstShoot(dir);
    // The box's catalog, read beside it as the daemon's page does (one LMDB environment).
    const catalog = await Catalog.open(join(dir, 'home'));
    onTestFinished(() => catalog.close());
    const sim = await SimulatedBox.start({ dir, catalog });
    onTestFinished(() => sim.stop());
    await sim.plugSsd('SSD-A');
    await sim.plugSsd('SSD-B');
    await sim.waitFor('both SSDs', (s) => s.vaults.filter((v) => v.present).length === 2);
    const camera = new SimulatedCamera({ vendor: 'generic', model: 'EOS R5', serial: '0123' });
    const device = sim.usb.plug(camera);
    await sim.waitFor('tethered', (s) => s.tether.phase === 'connected');
    const frames = [...shoot.burst, shoot.single];
    for (const frame of frames) await camera.capture(frame);
    await sim.waitFor('every shot', (s) => s.tether.shots >= frames.length);

    await until(
      () => search(catalog, 'stack:burst').total === shoot.burst.length,
      'the burst stacked after the camera paused',
      { timeoutMs: 60_000, everyMs: 50 },
    );
    expect(search(catalog, 'stack:pick').total).toBe(1);
    const burst = search(catalog, 'stack:burst', { limit: 0 }).captures;
    expect(burst.map((c) => c.captureKey.split('/').pop()).sort()).toEqual(
      shoot.burst.map((p) => p.split('/').pop()!.replace('.JPG', '').toLowerCase()),
    );
    const jobId = catalog.file(burst[0]!.sourceId, burst[0]!.files[0]!.relPath)!.jobId;
    expect([...new StacksStore(catalog).stacksOf(jobId)]).toHaveLength(1);
    expect(statusOfJob(catalog, jobId)?.stacks).toMatchObject({
      state: 'done',
      bursts: 1,
      frames: shoot.burst.length,
    });

    sim.usb.unplug(device);
    await sim.waitFor('tether idle', (s) => s.tether.phase === 'idle');
  }, 180_000);
});
