/**
 * npm run bench:idle — the box's CPU while it waits for a card (target ≤ 1 % of one core).
 *
 * The whole box runs with the shipped timings (drive poll 1 s, gauge every 10 s, Wi-Fi every
 * 30 s, LED heartbeat, screen policy) on the simulated hardware, two SSDs plugged in, the
 * ExifTool helpers started; after it settles, its CPU time (this process and every child) is
 * measured over 60 s (FIELDBACKUP_BENCH_IDLE_SECONDS). Baseline, in the same window: a bare
 * Node process with one 1 s timer. The simulated chips run in this process, so the figure is
 * an upper bound for the device.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SimulatedBox } from '../../hardware-mocks/simulator/box.js';

const SECONDS = Number(process.env.FIELDBACKUP_BENCH_IDLE_SECONDS ?? 60);
const TICKS = 100; // USER_HZ on Linux

/** CPU seconds used so far by a process and all its descendants (from /proc). */
async function cpuSeconds(pid: number): Promise<number> {
  let ticks = 0;
  const stat = await fs.readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  ticks += Number(fields[11] ?? 0) + Number(fields[12] ?? 0);
  const tasks = await fs.readdir(`/proc/${pid}/task`).catch(() => []);
  for (const task of tasks) {
    const children = await fs
      .readFile(`/proc/${pid}/task/${task}/children`, 'utf8')
      .catch(() => '');
    for (const child of children.split(' ').filter((c) => c !== ''))
      ticks += (await cpuSeconds(Number(child))) * TICKS;
  }
  return ticks / TICKS;
}

const dir = await fs.mkdtemp(join(tmpdir(), 'fieldbackup-bench-idle-'));
const sim = await SimulatedBox.start({ dir, timings: 'device' });
await sim.plugSsd('SSD-A');
await sim.plugSsd('SSD-B');
await sim.waitFor('two SSDs', (s) => s.vaults.filter((v) => v.present).length === 2);
await new Promise((resolve) => setTimeout(resolve, 5000)); // the screen's first frames, ExifTool's start

const baseline = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], {
  stdio: 'ignore',
});
await new Promise((resolve) => setTimeout(resolve, 500));
const box0 = await cpuSeconds(process.pid);
const base0 = await cpuSeconds(baseline.pid ?? 0);
const t0 = performance.now();
await new Promise((resolve) => setTimeout(resolve, SECONDS * 1000));
const wall = (performance.now() - t0) / 1000;
const box = ((await cpuSeconds(process.pid)) - box0) / wall;
const base = ((await cpuSeconds(baseline.pid ?? 0)) - base0) / wall;
baseline.kill();
const status = sim.status();
await sim.stop();
await fs.rm(dir, { recursive: true, force: true });

const pct = (x: number): string => `${(x * 100).toFixed(2)} %`;
process.stdout.write(
  [
    `bench:idle — ${wall.toFixed(0)} s idle, two SSDs, LEDs ${status.card.phase === 'none' ? 'heartbeat' : status.card.phase}, screen resting`,
    `  box (this process + ExifTool helpers): ${pct(box)} of one core`,
    `  baseline (bare Node, one 1 s timer):   ${pct(base)} of one core`,
    `  ratio box / baseline: ${base > 0 ? (box / base).toFixed(1) : 'n/a'}×   target ≤ 1 %: ${box <= 0.01 ? 'met' : 'NOT met'}`,
    '',
  ].join('\n'),
);
process.exitCode = box <= 0.01 ? 0 : 1;
