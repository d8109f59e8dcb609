import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Empties the page cache (root only), so that every run reads from the disk; false when it could not. */
export function dropCaches(): boolean {
  try {
    execFileSync('sync');
    execFileSync('sh', ['-c', 'echo 3 > /proc/sys/vm/drop_caches'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** What a bench worker process used, as it prints it on its last line. */
export function processUsage(startedMs: number): {
  wallMs: number;
  userMs: number;
  systemMs: number;
  maxRssMB: number;
} {
  const usage = process.resourceUsage();
  return {
    wallMs: performance.now() - startedMs,
    userMs: usage.userCPUTime / 1000,
    systemMs: usage.systemCPUTime / 1000,
    maxRssMB: usage.maxRSS / 1024,
  };
}

/** The built `fieldbackup` command, as the box's service and a user run it. */
export const CLI = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));

/**
 * How `fieldbackup` starts (its shebang line): the allocator's settings in its environment and
 * V8's flags.
 */
function productLaunch(): { env: NodeJS.ProcessEnv; nodeFlags: string[] } {
  const first = readFileSync(CLI, 'utf8').split('\n', 1)[0] ?? '';
  const m = /^#!\/usr\/bin\/env -S ((?:\w+=\S+ )*)node (.*)$/.exec(first);
  const words = (text = ''): string[] => text.split(' ').filter(Boolean);
  const assignments = words(m?.[1]).map((v): [string, string] => {
    const at = v.indexOf('=');
    return [v.slice(0, at), v.slice(at + 1)];
  });
  return { env: { ...process.env, ...Object.fromEntries(assignments) }, nodeFlags: words(m?.[2]) };
}

/**
 * Runs a bench worker script in its own process, started as `fieldbackup` starts (so that it
 * runs as the product does), and returns its last output line, parsed.
 */
export function runWorker<T>(worker: string, args: readonly string[]): T {
  const launch = productLaunch();
  const out = execFileSync(process.execPath, [...launch.nodeFlags, worker, ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
    env: launch.env,
  });
  return JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as T;
}

/**
 * Runs a command to its end under GNU time, which reports what the process used (its peak
 * RSS, CPU time) from the kernel when it has exited. Throws with its stderr when it fails.
 */
export function measuredRun(
  file: string,
  args: readonly string[],
): { stdout: string; wallMs: number; userMs: number; systemMs: number; maxRssMB: number } {
  const mark = 'fieldbackup-bench-usage';
  const r = spawnSync('/usr/bin/time', ['-f', `${mark} %e %U %S %M`, file, ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  const usage = r.stderr
    .split('\n')
    .find((l) => l.startsWith(mark))
    ?.split(' ')
    .slice(1)
    .map(Number);
  if (r.status !== 0 || usage === undefined)
    throw new Error(`${file} ${args.join(' ')} failed (${r.status ?? r.signal}): ${r.stderr}`);
  const [wall = NaN, user = NaN, system = NaN, rssKB = NaN] = usage;
  return {
    stdout: r.stdout,
    wallMs: wall * 1000,
    userMs: user * 1000,
    systemMs: system * 1000,
    maxRssMB: rssKB / 1024,
  };
}
