import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as fs from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { SimulatedCamera } from '../../../hardware-mocks/ptp-camera/camera.js';
import { PtpIpCameraServer } from '../../../hardware-mocks/ptp-camera/ptpip-server.js';
import { seededBytes } from '../../../fixtures/index.js';
import { initVault } from '../../../src/index.js';
import { cli } from '../../helpers/cli.js';
import { burstShoot } from '../../helpers/similar-set.js';
import { tempDir } from '../../helpers/tmp.js';
import { onTestFinished } from 'vitest';

const CLI = join(process.cwd(), 'dist', 'src', 'cli', 'main.js');
/** The tether's own lines; the metadata index and the stacks add theirs. */
const TETHER_EVENTS = ['waiting', 'connected', 'shot', 'disconnected', 'done'];

async function vaults(): Promise<{ dir: string; args: string[] }> {
  const dir = await tempDir();
  await initVault(join(dir, 'a'), { label: 'SSD-A' });
  await initVault(join(dir, 'b'), { label: 'SSD-B' });
  return {
    dir,
    args: ['--vault', join(dir, 'a'), '--vault', join(dir, 'b'), '--home', join(dir, 'home')],
  };
}

describe('fieldbackup tether: usage', () => {
  it.each([
    [[], /give exactly one of --usb, --ptpip HOST\[:PORT\] or --watch DIR/],
    [['--usb', '--watch', '/tmp'], /give exactly one of/],
    [
      ['--ptpip', 'camera:99999'],
      /--ptpip wants HOST or HOST:PORT \(IPv6 in brackets\), not "camera:99999"/,
    ],
    [['--ptpip', '[::1'], /--ptpip wants HOST or HOST:PORT/],
    [['--watch', '/nonexistent/hot'], /hot folder \/nonexistent\/hot cannot be read: ENOENT/],
    [
      ['--watch', '/tmp', '--stable-ms', 'soon'],
      /--stable-ms must be a positive whole number, not "soon"/,
    ],
    [
      ['--ptpip', '127.0.0.1', '--resume-seconds', '-1'],
      /--resume-seconds must be a positive whole number/,
    ],
  ])('%j is refused with exit code 2 and says why', async (args, message) => {
    const { args: vaultArgs } = await vaults();
    const run = await cli(['tether', ...args, ...vaultArgs]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
  });

  it('a folder that is not a vault is refused with exit code 2', async () => {
    const dir = await tempDir();
    const run = await cli([
      'tether',
      '--watch',
      dir,
      '--vault',
      dir,
      '--vault',
      dir,
      '--home',
      join(dir, 'h'),
      '--json',
    ]);
    expect(run.code).toBe(2);
    expect(run.events.at(-1)).toMatchObject({ event: 'error', code: 'E_NOT_A_VAULT', fatal: true });
  });
});

describe('fieldbackup tether: running', () => {
  it('--ptpip --json: one line per shot with file, bytes and latency; Ctrl-C finishes with exit code 0', async () => {
    const camera = new SimulatedCamera();
    const server = await PtpIpCameraServer.start(camera);
    onTestFinished(() => server.close());
    const shoot = await tempDir();
    await fs.writeFile(join(shoot, 'IMG_0001.CR3'), seededBytes('cli', 2_000_000));
    const { args } = await vaults();
    const stop = new AbortController();
    let captured = false;
    const run = await cli(['tether', '--ptpip', `127.0.0.1:${server.port}`, ...args, '--json'], {
      interrupt: stop.signal,
      onOutput: (out) => {
        if (!captured && out.includes('"event":"connected"')) {
          captured = true;
          void camera.capture(join(shoot, 'IMG_0001.CR3'));
        }
        if (out.includes('"event":"shot"')) stop.abort();
      },
    });
    expect(run.code).toBe(0);
    const tether = run.events.filter((e) => TETHER_EVENTS.includes(String(e.event)));
    expect(tether.map((e) => e.event)).toEqual(['connected', 'shot', 'done']);
    // After the verdict: the look for stacks (random bytes: no image to look at) and the index.
    expect(run.events.find((e) => e.event === 'stacks')).toMatchObject({
      analysed: 1,
      skipped: 1,
      frames: 0,
    });
    expect(run.events.at(-1)).toMatchObject({ event: 'indexed', files: 1 });
    const shot = tether[1] as {
      file: string;
      bytes: number;
      latencyMs: number;
      copies: unknown[];
    };
    expect(shot).toMatchObject({
      event: 'shot',
      file: 'DCIM/100SIMCAM/IMG_0001.CR3',
      bytes: 2_000_000,
    });
    expect(shot.latencyMs).toBeGreaterThan(0);
    expect(shot.copies).toHaveLength(2);
    expect(tether[2]).toMatchObject({ event: 'done', shots: 1, failed: 0, exitCode: 0 });
  });

  it('--watch, in words: what it watches, each shot with its size and time, and the total', async () => {
    const folder = await tempDir();
    await fs.writeFile(join(folder, 'IMG_0001.JPG'), seededBytes('words', 120_000));
    const { args } = await vaults();
    const stop = new AbortController();
    const run = await cli(
      ['tether', '--watch', folder, '--stable-ms', '100', '--poll-ms', '200', ...args],
      {
        interrupt: stop.signal,
        onOutput: (out) => {
          if (out.includes('✓')) stop.abort();
        },
      },
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /^Connected to .* at .*: 0 files on it; watching for new shots \(change events \+ polling\)\. Ctrl-C stops\.$/m,
    );
    expect(run.stdout).toMatch(/^✓ IMG_0001\.JPG {2}120\.0 KB {2}\d+\.\d\d s → SSD-A \+ SSD-B$/m);
    expect(run.stdout).toMatch(/^1 shot backed up\.$/m);
  });

  it('--usb on the real libusb with no camera plugged in: says it is waiting, stops cleanly on Ctrl-C', async () => {
    const { args } = await vaults();
    const stop = new AbortController();
    const run = await cli(['tether', '--usb', ...args, '--json'], {
      interrupt: stop.signal,
      onOutput: (out) => {
        if (out.includes('"event":"waiting"')) stop.abort();
      },
    });
    expect(run.code).toBe(0);
    expect(run.events.map((e) => e.event)).toEqual(['waiting', 'done']);
    expect(run.events[0]).toMatchObject({
      message: 'waiting for a USB camera: no PTP camera on USB: connect one and switch it on',
    });
  });

  it('the real process: SIGINT stops it cleanly after the shot in flight, with the done line and exit code 0', async () => {
    expect(existsSync(CLI), `${CLI} is built by "npm test" (npm run build)`).toBe(true);
    const folder = await tempDir();
    const { args } = await vaults();
    const child = spawn(
      process.execPath,
      [CLI, 'tether', '--watch', folder, '--stable-ms', '100', ...args, '--json'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const lines: Record<string, unknown>[] = [];
    const exited = new Promise<number | null>((resolve) =>
      child.on('exit', (code) => resolve(code)),
    );
    const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    onTestFinished(() => clearTimeout(killer));
    for await (const line of createInterface({ input: child.stdout })) {
      const event = JSON.parse(line) as Record<string, unknown>;
      lines.push(event);
      if (event.event === 'connected')
        await fs.writeFile(join(folder, 'IMG_0001.JPG'), seededBytes('sigint', 300_000));
      if (event.event === 'shot') child.kill('SIGINT');
    }
    expect(await exited).toBe(0);
    const tether = lines.filter((l) => TETHER_EVENTS.includes(String(l.event)));
    expect(tether.map((l) => l.event)).toEqual(['connected', 'shot', 'done']);
    expect(tether.at(-1)).toMatchObject({ shots: 1, exitCode: 0 });
  });

  it('--ptpip: a burst shot tethered ends as one stack; search stack:burst finds its frames, status shows it', async () => {
    const shoot = await burstShoot(await tempDir());
    const frames = [...shoot.burst, shoot.single];
    const camera = new SimulatedCamera();
    const server = await PtpIpCameraServer.start(camera);
    onTestFinished(() => server.close());
    const { args } = await vaults();
    const stop = new AbortController();
    let shooting: Promise<void> | undefined;
    const run = await cli(['tether', '--ptpip', `127.0.0.1:${server.port}`, ...args, '--json'], {
      interrupt: stop.signal,
      onOutput: (out) => {
        if (shooting === undefined && out.includes('"event":"connected"'))
          shooting = (async () => {
            for (const frame of frames) await camera.capture(frame);
          })();
        if (out.split('"event":"shot"').length - 1 === frames.length) stop.abort();
      },
    });
    await shooting;
    expect(run.code).toBe(0);
    expect(run.events.find((e) => e.event === 'done')).toMatchObject({ shots: frames.length });
    expect(run.events.filter((e) => e.event === 'stacks').at(-1)).toMatchObject({
      bursts: 1,
      brackets: 0,
      frames: shoot.burst.length,
      analysed: frames.length,
    });
    const home = args[args.indexOf('--home') + 1]!;
    const found = await cli(['search', 'stack:burst', '--home', home, '--json', '--limit', '0']);
    const names = found.events
      .filter((e) => e.event === 'capture')
      .map((e) => String(e.captureId).split('/').pop());
    expect(names.sort()).toEqual(
      shoot.burst.map((p) => p.split('/').pop()!.replace('.JPG', '').toLowerCase()),
    );
    const picks = await cli(['search', 'stack:pick', '--home', home, '--json', '--limit', '0']);
    expect(picks.events.filter((e) => e.event === 'capture')).toHaveLength(1);
    const status = await cli(['status', '--home', home]);
    expect(status.stdout).toContain(`Stacks: 1 burst, 0 brackets (${shoot.burst.length} frames)`);
  }, 120_000);
});
