import { execFileSync } from 'node:child_process';

/**
 * Tests that need root, FUSE, loop devices, tmpfs mounts or a system tool: on a developer
 * machine without them they are skipped; under CI=true a missing prerequisite fails the test.
 */
export function prerequisite(name: string, available: boolean): boolean {
  if (!available && process.env.CI === 'true') {
    throw new Error(`prerequisite missing in CI: ${name}`);
  }
  return available;
}

export const isRoot = (): boolean => process.getuid?.() === 0;

export function hasCommand(cmd: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
