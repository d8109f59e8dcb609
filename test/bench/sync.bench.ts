/**
 * npm run bench:sync — FieldBackup's sync over SFTP on loopback against OpenSSH's own `sftp`
 * client putting the same files in the same run, to the same real sshd.
 *
 *   small: 10,000 files of 8–256 KB (JPEGs, sidecars, small RAWs)   FIELDBACKUP_BENCH_FILES
 *   large: 2 GB of 50 MB files                                      FIELDBACKUP_BENCH_GB
 *
 * Each set is ingested once into a vault (kept between runs); then, alternating for
 * FIELDBACKUP_BENCH_ROUNDS rounds, `sftp -b` puts its Photos/ folder and `fieldbackup sync`
 * sends it into a fresh NAS vault (temp → fsync → link → verify on the NAS → manifest). Page
 * caches are dropped before each run when the bench runs as root. Medians are compared; the
 * peak RSS and CPU time are the sync process's own, from GNU time.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { seededChunks } from '../../fixtures/index.js';
import { Catalog, FolderSource, ingest, initVault, type SyncDoneEvent } from '../../src/index.js';
import { startSshd, type Sshd } from '../helpers/sshd.js';
import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { CLI, dropCaches, measuredRun } from './measure.js';

interface Run {
  readonly wallMs: number;
  readonly userMs: number;
  readonly systemMs: number;
  readonly maxRssMB: number;
  readonly bytes: number;
  readonly files: number;
}

const SMALL_FILES = Number(process.env.FIELDBACKUP_BENCH_FILES ?? 10_000);
const LARGE_GB = Number(process.env.FIELDBACKUP_BENCH_GB ?? 2);
const ROUNDS = Number(process.env.FIELDBACKUP_BENCH_ROUNDS ?? 2);
const base = process.env.FIELDBACKUP_BENCH_DIR ?? join(tmpdir(), 'fieldbackup-bench-sync');

interface DataSet {
  readonly name: string;
  readonly home: string;
  readonly vault: string;
}

/** A card of seeded files, ingested once into a vault; reused by later runs of the bench. */
async function dataSet(name: string, sizes: () => number[]): Promise<DataSet> {
  const dir = join(base, name);
  const set = { name, home: join(dir, 'home'), vault: join(dir, 'vault') };
  if (await exists(join(dir, '.complete'))) return set;
  await fs.rm(dir, { recursive: true, force: true });
  const card = join(dir, 'card');
  const list = sizes();
  process.stdout.write(
    `preparing the ${name} set: ${list.length} files, ${(list.reduce((n, s) => n + s, 0) / 1e9).toFixed(2)} GB …\n`,
  );
  for (const [i, size] of list.entries()) {
    const path = join(
      card,
      'DCIM',
      `${100 + Math.floor(i / 999)}CANON`,
      `IMG_${String((i % 999) + 1).padStart(4, '0')}.JPG`,
    );
    await fs.mkdir(dirname(path), { recursive: true });
    await pipeline(Readable.from(seededChunks(`${name}:${i}`, size)), createWriteStream(path));
  }
  await initVault(set.vault, { label: `BENCH-${name}` });
  const catalog = await Catalog.open(set.home);
  try {
    const done = await ingest({ source: new FolderSource(card), vaults: [set.vault], catalog });
    if (done.exitCode !== 0) throw new Error(`ingest of the ${name} set failed`);
  } finally {
    await catalog.close();
  }
  await fs.rm(card, { recursive: true });
  await fs.writeFile(join(dir, '.complete'), '');
  return set;
}

/**
 * `fieldbackup sync --json` as a user runs it (the built command, its own V8 flags), from a
 * copy of the set's catalog so that every run starts as a box that never synced.
 */
async function ours(sshd: Sshd, set: DataSet, nas: string): Promise<Run> {
  await fs.mkdir(nas);
  const home = `${nas}-home`;
  await fs.cp(set.home, home, { recursive: true });
  dropCaches();
  try {
    const run = measuredRun(CLI, [
      'sync',
      '--to',
      sshd.url(nas),
      '--identity',
      sshd.identity,
      '--init',
      '--vault',
      set.vault,
      '--home',
      home,
      '--json',
    ]);
    const done = JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '{}') as SyncDoneEvent;
    if (done.exitCode !== 0) throw new Error(`sync failed: ${JSON.stringify(done)}`);
    return { ...run, bytes: done.bytesSent, files: done.sent };
  } finally {
    await fs.rm(home, { recursive: true, force: true });
  }
}

/** OpenSSH's sftp client putting the same files; `durable`: put -f, which fsyncs each file as the sync does. */
async function baseline(sshd: Sshd, set: DataSet, nas: string, durable: boolean): Promise<Run> {
  await fs.mkdir(nas);
  const photos = join(set.vault, 'Photos');
  const files = (await fs.readdir(photos, { recursive: true, withFileTypes: true })).filter((d) =>
    d.isFile(),
  );
  let bytes = 0;
  for (const d of files) bytes += (await fs.stat(join(d.parentPath, d.name))).size;
  dropCaches();
  const started = performance.now();
  execFileSync(
    'sftp',
    [
      '-q',
      '-P',
      String(sshd.port),
      '-i',
      sshd.identity,
      '-o',
      'StrictHostKeyChecking=no',
      '-o',
      'UserKnownHostsFile=/dev/null',
      '-b',
      '-',
      `${sshd.user}@127.0.0.1`,
    ],
    {
      input: `put -r${durable ? 'f' : ''} ${photos} ${nas}/Photos\n`,
      stdio: ['pipe', 'ignore', 'inherit'],
    },
  );
  return {
    wallMs: performance.now() - started,
    userMs: 0,
    systemMs: 0,
    maxRssMB: 0,
    bytes,
    files: files.length,
  };
}

const median = (xs: number[]): number =>
  [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const mbps = (r: Run): number => r.bytes / r.wallMs / 1e3;
const fps = (r: Run): number => r.files / (r.wallMs / 1e3);
const exists = (p: string): Promise<boolean> =>
  fs.stat(p).then(
    () => true,
    () => false,
  );

const small = await dataSet(`small-${SMALL_FILES}`, () => {
  let x = 12345;
  return Array.from({ length: SMALL_FILES }, () => {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    return 8 * 1024 + (x % (248 * 1024));
  });
});
const large = await dataSet(`large-${LARGE_GB}GB`, () =>
  Array.from({ length: Math.round((LARGE_GB * 1e9) / 50e6) }, () => 50e6),
);
const sshd = await startSshd();
const results: Record<string, { ours: Run[]; sftp: Run[]; durable: Run[] }> = {};
try {
  for (const set of [small, large]) {
    results[set.name] = { ours: [], sftp: [], durable: [] };
    for (let round = 0; round < ROUNDS; round++) {
      const b = await baseline(sshd, set, join(sshd.dir, `sftp-${set.name}-${round}`), false);
      const d = await baseline(sshd, set, join(sshd.dir, `sftpf-${set.name}-${round}`), true);
      results[set.name]!.durable.push(d);
      await fs.rm(join(sshd.dir, `sftpf-${set.name}-${round}`), { recursive: true, force: true });
      const o = await ours(sshd, set, join(sshd.dir, `ours-${set.name}-${round}`));
      results[set.name]!.sftp.push(b);
      results[set.name]!.ours.push(o);
      await fs.rm(join(sshd.dir, `sftp-${set.name}-${round}`), { recursive: true, force: true });
      await fs.rm(join(sshd.dir, `ours-${set.name}-${round}`), { recursive: true, force: true });
      process.stdout.write(
        `${set.name} round ${round + 1}: sftp ${mbps(b).toFixed(0)} MB/s ${fps(b).toFixed(0)} files/s; sftp -f ${mbps(d).toFixed(0)} MB/s ${fps(d).toFixed(0)} files/s; FieldBackup ${mbps(o).toFixed(0)} MB/s ${fps(o).toFixed(0)} files/s, ${o.maxRssMB.toFixed(0)} MB RSS\n`,
      );
    }
  }
} finally {
  await sshd.stop();
}

const verdict = (ok: boolean): string => (ok ? 'ok' : 'MISSED');
const openssh = spawnSync('ssh', ['-V'], { encoding: 'utf8' }).stderr.trim();
const lines = [
  `bench:sync — SFTP on loopback (${openssh}), ${ROUNDS} rounds, page cache ${dropCaches() ? 'dropped before each run' : 'NOT dropped (not root)'}`,
];
for (const [name, r] of Object.entries(results)) {
  const o = {
    mbps: median(r.ours.map(mbps)),
    fps: median(r.ours.map(fps)),
    rss: Math.max(...r.ours.map((x) => x.maxRssMB)),
  };
  const b = { mbps: median(r.sftp.map(mbps)), fps: median(r.sftp.map(fps)) };
  const d = { mbps: median(r.durable.map(mbps)), fps: median(r.durable.map(fps)) };
  const cpu = median(r.ours.map((x) => (x.userMs + x.systemMs) / 1e3 / (x.bytes / 1e9)));
  const ratio = o.mbps / d.mbps;
  const first = r.ours[0]!;
  const target = name.startsWith('large') ? `   (target ≥ 0.9: ${verdict(ratio >= 0.9)})` : '';
  lines.push(
    `  ${name}: ${first.files} files, ${(first.bytes / 1e9).toFixed(2)} GB`,
    `    OpenSSH sftp put -r:     ${b.mbps.toFixed(0)} MB/s, ${b.fps.toFixed(0)} files/s (nothing fsync'd)`,
    `    OpenSSH sftp put -rf:    ${d.mbps.toFixed(0)} MB/s, ${d.fps.toFixed(0)} files/s (each file fsync'd)`,
    `    FieldBackup sync:        ${o.mbps.toFixed(0)} MB/s, ${o.fps.toFixed(0)} files/s, ${cpu.toFixed(2)} CPU s/GB (fsync + rename + verify on the NAS + manifest)`,
    `    ratio to put -rf:        ${ratio.toFixed(2)}×${target}`,
    `    ratio to put -r:         ${(o.mbps / b.mbps).toFixed(2)}×`,
    `    peak RSS:                ${o.rss.toFixed(0)} MB   (target ≤ 150: ${verdict(o.rss <= 150)})`,
  );
  if (name.startsWith('large'))
    lines.push(
      `    ${(o.mbps * 3.6).toFixed(0)} GB/hour   (brief: ≥ 10 GB/hour: ${verdict(o.mbps * 3.6 >= 10)})`,
    );
  else
    lines.push(
      `    ${first.files} files in one session   (target 10,000: ${verdict(first.files >= 10_000)})`,
    );
}
console.log(`\n${lines.join('\n')}\n`);
