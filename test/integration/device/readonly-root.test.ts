import { execFile, execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { hasCommand } from '../../helpers/prereq.js';

const SCRIPT = resolve('device/rootfs/usr/local/sbin/fieldbackup-readonly-root');
const run = (args: string[]) =>
  promisify(execFile)(SCRIPT, args).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (err: { code: number; stdout: string; stderr: string }) => ({
      code: err.code,
      stdout: err.stdout,
      stderr: err.stderr,
    }),
  );

const catalogOnRoot = (): boolean => {
  try {
    execFileSync('findmnt', ['--mountpoint', '/var/lib/fieldbackup'], { stdio: 'ignore' });
    return false;
  } catch {
    return true;
  }
};

describe('fieldbackup-readonly-root', () => {
  it('says whether the root is read-only and where the catalog lives', async () => {
    const status = await run(['status']);
    expect(status.code).toBe(0);
    const root = execFileSync('findmnt', ['-no', 'FSTYPE', '/'], { encoding: 'utf8' }).trim();
    expect(status.stdout).toContain(
      root === 'overlay' ? 'root: read-only (overlay in RAM)' : 'root: read-write',
    );
    expect(status.stdout).toMatch(/^catalog: \/var\/lib\/fieldbackup on /m);
  });

  it('explains its usage', async () => {
    const usage = await run(['sometimes']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/^usage: fieldbackup-readonly-root status\|enable\|disable/);
  });

  // Only where enabling cannot happen: the catalog on the root filesystem and no raspi-config.
  it.runIf(catalogOnRoot() && !hasCommand('raspi-config'))(
    'refuses to enable it while the catalog would be thrown away at every reboot',
    async () => {
      const refused = await run(['enable']);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(/\/var\/lib\/fieldbackup is on the root filesystem/);
      expect(refused.stderr).toMatch(/FBDATA/);
    },
  );
});
