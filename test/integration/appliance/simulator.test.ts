import { execFile } from 'node:child_process';
import * as fs from 'node:fs/promises';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { simulate } from '../../../hardware-mocks/simulator/run.js';
import { pngFrame, SCREEN_HEIGHT, SCREEN_WIDTH } from '../../../src/index.js';
import { tempDir } from '../../helpers/tmp.js';

const main = fileURLToPath(
  new URL('../../../dist/hardware-mocks/simulator/main.js', import.meta.url),
);

/** What the simulator printed. */
function sink(): Writable & { text: () => string } {
  const chunks: string[] = [];
  return Object.assign(
    new Writable({
      write(chunk: Buffer, _enc, done) {
        chunks.push(chunk.toString());
        done();
      },
    }),
    { text: () => chunks.join('') },
  );
}

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [main, ...args], { timeout: 240_000 }, (err, stdout, stderr) =>
      resolve({
        code: err === null ? 0 : typeof err.code === 'number' ? err.code : 1,
        stdout,
        stderr,
      }),
    );
  });
}

describe('the simulator (npm start)', () => {
  // A scenario plays in real time (10–20 s alone, more on a busy 2-core CI machine).
  it('plays the default scenario: exit 0, LEDs narrated, e-ink frames written where --frames says', async () => {
    const dir = await tempDir('fb-sim-');
    const frames = join(dir, 'png');
    const r = await run(['--once', '--dir', join(dir, 'box'), '--frames', frames]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('✓ expected final state reached');
    expect(r.stdout).toContain(`E-ink frames (PNG): ${frames}`);
    expect(r.stdout).toMatch(/LEDs: green blink, amber off, red off \| Card: EOS_DIGITAL: copying/);
    expect(r.stdout).toMatch(
      /LEDs: green on, amber off, red off \| Card: EOS_DIGITAL: safe to format/,
    );
    const pngs = (await fs.readdir(frames)).filter((f) => f.startsWith('frame-'));
    expect(pngs.length).toBeGreaterThan(2);
    const frame = await pngFrame(await fs.readFile(join(frames, 'latest.png')));
    expect([frame.width, frame.height]).toEqual([SCREEN_WIDTH, SCREEN_HEIGHT]);
  }, 240_000);

  it('refuses an unknown scenario with exit 2 and names the ones there are', async () => {
    const r = await run(['--once', '--scenario', 'flood']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no scenario "flood"; there are: default, card-pulled');
  });

  it.each([
    'card-pulled',
    'one-ssd-missing',
    'disk-full',
    'low-battery',
    'long-press',
    'tethered-shoot',
    'home-wifi-sync',
  ])(
    'reaches the expected final state in the %s scenario',
    async (scenario) => {
      const out = sink();
      const result = await simulate({ scenario, once: true, out, dir: await tempDir('fb-sim-') });
      expect(result.problems, out.text()).toEqual([]);
      expect(result.ok).toBe(true);
      expect(result.frames.length).toBeGreaterThan(0);
    },
    240_000,
  );
});
