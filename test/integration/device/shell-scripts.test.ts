import { execFile } from 'node:child_process';
import * as fs from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { hasCommand, prerequisite } from '../../helpers/prereq.js';

const run = promisify(execFile);
const SKIP = new Set([
  'node_modules',
  '.git',
  'dist',
  'coverage',
  '.cache',
  '.work',
  'deploy',
  '.scratch',
]);

async function firstBytes(path: string): Promise<string> {
  const file = await fs.open(path, 'r');
  try {
    const { buffer, bytesRead } = await file.read(Buffer.alloc(200), 0, 200, 0);
    return buffer.subarray(0, bytesRead).toString('utf8');
  } finally {
    await file.close();
  }
}

/** Every shell script in the repository: *.sh, a sh/bash shebang, or a shellcheck shell= directive. */
async function shellScripts(dir = '.'): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIP.has(entry.name)) found.push(...(await shellScripts(path)));
      continue;
    }
    if (!entry.isFile()) continue;
    if (entry.name.endsWith('.sh')) {
      found.push(path);
      continue;
    }
    const head = await firstBytes(path);
    if (/^#!\S*\/(env )?(ba)?sh\b/.test(head) || /^# shellcheck shell=(ba)?sh/m.test(head))
      found.push(path);
  }
  return found.sort();
}

describe('shell scripts', () => {
  it('are found: the image build, the device tools and CI', async () => {
    const scripts = await shellScripts();
    for (const expected of [
      '.ci/run',
      'device/rootfs/usr/local/sbin/fieldbackup-format-vault',
      'device/rootfs/usr/local/sbin/fieldbackup-readonly-root',
      'image-build/build.sh',
      'image-build/lib/assemble-rootfs.sh',
      'image-build/lib/stage-app.sh',
      'image-build/stage-fieldbackup/02-app/01-run-chroot.sh',
      'image-build/stage-fieldbackup/03-device/01-run-chroot.sh',
    ])
      expect(scripts).toContain(expected);
  });

  it.runIf(prerequisite('shellcheck', hasCommand('shellcheck')))(
    'pass shellcheck (warnings included)',
    async () => {
      const scripts = await shellScripts();
      const result = await run('shellcheck', [
        '--external-sources',
        '--format=gcc',
        ...scripts,
      ]).then(
        () => '',
        (err: { stdout?: string; message: string }) => err.stdout || err.message,
      );
      expect(result).toBe('');
    },
  );

  it('are executable where they are run directly', async () => {
    for (const script of (await shellScripts()).filter((s) => !s.endsWith('-chroot.sh'))) {
      const mode = (await fs.stat(script)).mode;
      expect(mode & 0o111, `${script} is not executable`).not.toBe(0);
    }
  });
});
