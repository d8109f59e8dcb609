import { execFileSync } from 'node:child_process';

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
