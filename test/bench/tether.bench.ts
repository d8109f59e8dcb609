/**
 * npm run bench:tether — 50 shots of 30–60 MB through the simulated PTP/IP camera on loopback.
 *
 * The camera runs in its own process (as a real one would) and announces each file moved into
 * its shoot folder. For every shot: latency from ObjectAdded reaching FieldBackup to verified
 * on both vaults (two fresh vaults on this disk, fsync + O_DIRECT read-back). Baseline, in the
 * same run: the raw PTP/IP transfer of the same object to memory, nothing written. Overhead =
 * latency − raw transfer, per shot. Targets: overhead p95 ≤ 1 s, no shot lost.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { prng, seededChunks } from '../../fixtures/index.js';
import {
  Catalog,
  CameraTether,
  IngestSession,
  initiatorGuid,
  initVault,
  PtpIpCameraConnector,
  PtpIpTransport,
  PtpSession,
  runTether,
  Xxh128,
  type TetherEvent,
} from '../../src/index.js';

const SHOTS = Number(process.env.FIELDBACKUP_BENCH_SHOTS ?? 50);
const base = join(process.env.FIELDBACKUP_BENCH_DIR ?? tmpdir(), 'fieldbackup-bench-tether');
const simulator = join(
  fileURLToPath(new URL('.', import.meta.url)),
  '..',
  '..',
  'hardware-mocks',
  'ptp-camera',
  'main.js',
);
const MB = 1e6;

type Shot = Extract<TetherEvent, { event: 'shot' }>;

const pct = (xs: readonly number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? NaN;
};

async function stage(dir: string): Promise<{ name: string; size: number; hash: string }[]> {
  const random = prng(2026);
  const files = [];
  for (let i = 1; i <= SHOTS; i++) {
    const name = `IMG_${String(i).padStart(4, '0')}.CR3`;
    const size = Math.round(30 * MB + random() * 30 * MB);
    const h = new Xxh128();
    const handle = await fs.open(join(dir, name), 'w');
    for (const chunk of seededChunks(`bench-tether-${i}`, size)) {
      h.update(chunk);
      await handle.write(chunk);
    }
    await handle.close();
    files.push({ name, size, hash: h.digest() });
  }
  return files;
}

async function startCamera(shoot: string): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, [simulator, '--ptpip', '127.0.0.1:0', '--shoot', shoot], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  for await (const line of createInterface({ input: child.stdout })) {
    const port = /on 127\.0\.0\.1:(\d+)/.exec(line)?.[1];
    if (port !== undefined) return { child, port: Number(port) };
  }
  throw new Error('the simulated camera did not start');
}

async function waitFor(
  events: TetherEvent[],
  test: (e: TetherEvent) => boolean,
  what: string,
): Promise<TetherEvent> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const found = events.find(test);
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

await fs.rm(base, { recursive: true, force: true });
const [stageDir, shootDir, vaultA, vaultB, home] = ['stage', 'shoot', 'ssd-a', 'ssd-b', 'home'].map(
  (d) => join(base, d),
) as [string, string, string, string, string];
await fs.mkdir(stageDir, { recursive: true });
await fs.mkdir(shootDir, { recursive: true });
process.stdout.write(`staging ${SHOTS} shots of 30–60 MB in ${stageDir} …\n`);
const files = await stage(stageDir);
await initVault(vaultA, { label: 'BENCH-A' });
await initVault(vaultB, { label: 'BENCH-B' });
const camera = await startCamera(shootDir);
const connect = (): PtpIpCameraConnector =>
  new PtpIpCameraConnector({
    host: '127.0.0.1',
    port: camera.port,
    guid: initiatorGuid('bench'),
    friendlyName: 'FieldBackup bench',
  });

try {
  const catalog = await Catalog.open(home);
  const session = await IngestSession.open({ vaults: [vaultA, vaultB], catalog });
  const events: TetherEvent[] = [];
  const stop = new AbortController();
  const running = runTether(new CameraTether(connect()), session, {
    signal: stop.signal,
    onEvent: (e) => events.push(e),
  });
  await waitFor(events, (e) => e.event === 'connected', 'the connection');
  const t0 = performance.now();
  for (const file of files) {
    // A rename is instant: the camera announces the whole file at once.
    await fs.rename(join(stageDir, file.name), join(shootDir, file.name));
    await waitFor(events, (e) => e.event === 'shot' && e.file.endsWith(`/${file.name}`), file.name);
  }
  const tetherSeconds = (performance.now() - t0) / 1000;
  stop.abort();
  const done = await running;
  await session.close();
  await catalog.close();

  // Baseline: the same objects over the same PTP/IP link into memory, nothing written.
  const ptp = await PtpSession.open(
    await PtpIpTransport.connect({
      host: '127.0.0.1',
      port: camera.port,
      guid: initiatorGuid('bench'),
      friendlyName: 'baseline',
    }),
  );
  const raw = new Map<string, number>();
  for (const handle of await ptp.objectHandles(0xffffffff, 0)) {
    const info = await ptp.objectInfo(handle);
    if (info.format === 0x3001) continue;
    const start = performance.now();
    for await (const chunk of ptp.readObject(handle, 0, info.compressedSize)) void chunk;
    raw.set(info.filename, performance.now() - start);
  }
  await ptp.close();

  const shots = events.filter((e): e is Shot => e.event === 'shot');
  const byName = new Map(shots.map((s) => [s.file.split('/').pop() ?? '', s]));
  const lost = files.filter((f) => {
    const s = byName.get(f.name);
    return s === undefined || s.hash !== f.hash || s.missing.length > 0 || s.copies.length !== 2;
  });
  for (const vault of [vaultA, vaultB]) {
    for (const f of files) {
      const s = byName.get(f.name);
      const copy = s?.copies.find((c) => c.vault === (vault === vaultA ? 'BENCH-A' : 'BENCH-B'));
      const st =
        copy === undefined
          ? undefined
          : await fs.stat(join(vault, 'Photos', copy.path)).catch(() => undefined);
      if (st?.size !== f.size && !lost.includes(f)) lost.push(f);
    }
  }
  const latency = files.map((f) => byName.get(f.name)?.latencyMs ?? NaN);
  const rawMs = files.map((f) => raw.get(f.name) ?? NaN);
  const overhead = latency.map((l, i) => l - (rawMs[i] ?? NaN));
  const totalMB = files.reduce((n, f) => n + f.size, 0) / MB;
  const row = (label: string, xs: number[]): string =>
    `| ${label} | ${Math.round(pct(xs, 50))} ms | ${Math.round(pct(xs, 95))} ms | ${Math.round(Math.max(...xs))} ms |`;
  const overheadP95 = pct(overhead, 95);
  process.stdout.write(`
${SHOTS} shots, ${totalMB.toFixed(0)} MB, each secured before the next was taken (${tetherSeconds.toFixed(1)} s, ${(totalMB / tetherSeconds).toFixed(0)} MB/s)

| per shot | p50 | p95 | max |
| --- | --- | --- | --- |
${row('latency: ObjectAdded → verified on both vaults', latency)}
${row('baseline: raw PTP/IP transfer to memory', rawMs)}
${row('overhead: latency − raw transfer', overhead)}

ratio of p50 latency to p50 raw transfer: ${(pct(latency, 50) / pct(rawMs, 50)).toFixed(2)}×
shots lost: ${lost.length} (${lost.map((f) => f.name).join(', ') || 'none'}); run exit code ${done.exitCode}
target overhead p95 ≤ 1000 ms: ${overheadP95 <= 1000 ? 'met' : 'MISSED'} (${Math.round(overheadP95)} ms); no shot lost: ${lost.length === 0 ? 'met' : 'MISSED'}
`);
  process.exitCode = overheadP95 <= 1000 && lost.length === 0 && done.exitCode === 0 ? 0 : 1;
} finally {
  camera.child.kill('SIGTERM');
  await fs.rm(base, { recursive: true, force: true });
}
