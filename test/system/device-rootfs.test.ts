import { execFile, execFileSync } from 'node:child_process';
import * as fs from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { hasCommand, isRoot, prerequisite } from '../helpers/prereq.js';
import { tempDir } from '../helpers/tmp.js';

const exec = promisify(execFile);
const ASSEMBLE = resolve('image-build/lib/assemble-rootfs.sh');
const STAGE_APP = resolve('image-build/lib/stage-app.sh');
const DEVICE = resolve('device');
const UNITS = ['fieldbackup.service', 'srv-fieldbackup-a.mount', 'srv-fieldbackup-b.mount'];

interface Entry {
  readonly kind: 'f' | 'd' | 'l';
  readonly path: string;
  readonly mode?: number;
  readonly owner?: string;
  readonly group?: string;
  readonly target?: string;
}

/** device/rootfs.manifest, read independently of the shell script that installs it. */
async function manifest(): Promise<Entry[]> {
  const text = await fs.readFile(join(DEVICE, 'rootfs.manifest'), 'utf8');
  return text
    .split('\n')
    .filter((l) => l.trim() !== '' && !l.startsWith('#'))
    .map((line) => {
      const [kind, a, b, c] = line.trim().split(/\s+/);
      if (kind === 'l') return { kind, target: a, path: b } as Entry;
      const [owner, group] = (b ?? '').split(':');
      return { kind, mode: parseInt(a ?? '', 8), owner, group, path: c } as Entry;
    });
}

const idOf = (db: 'passwd' | 'group', name: string): number =>
  Number(execFileSync('getent', [db, name], { encoding: 'utf8' }).split(':')[2]);

/** Runs a script; resolves with its exit code and output instead of throwing. */
const runScript = (file: string, args: string[]) =>
  exec(file, args).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (err: { code: number; stdout: string; stderr: string }) => ({
      code: err.code,
      stdout: err.stdout,
      stderr: err.stderr,
    }),
  );

const ready =
  prerequisite('root', isRoot()) &&
  prerequisite('systemd-analyze', hasCommand('systemd-analyze')) &&
  prerequisite('sshd', hasCommand('/usr/sbin/sshd'));

/**
 * The CI dry run of the image: the root-filesystem overlay is assembled by the same script the
 * pi-gen stage runs, into a folder, and checked file by file; the units are verified by
 * systemd in that root; the SSH drop-in is checked by sshd.
 */
describe.runIf(ready)('the image root filesystem (dry run)', () => {
  let root: string;

  beforeAll(async () => {
    root = await fs.mkdtemp('/tmp/fb-rootfs-');
    const assembled = await runScript(ASSEMBLE, [DEVICE, root]);
    expect(assembled.stderr).toBe('');
    expect(assembled.code).toBe(0);
    const staged = await runScript(STAGE_APP, ['.', join(root, 'opt/fieldbackup')]);
    expect(staged.code, staged.stderr).toBe(0);
    return () => fs.rm(root, { recursive: true, force: true });
  });

  it('holds every manifest entry with its owner, mode and content', async () => {
    const entries = await manifest();
    expect(entries.length).toBeGreaterThan(10);
    for (const e of entries) {
      const at = join(root, e.path);
      const st = await fs.lstat(at);
      if (e.kind === 'l') {
        expect(st.isSymbolicLink(), e.path).toBe(true);
        expect(await fs.readlink(at)).toBe(e.target);
        continue;
      }
      expect(e.kind === 'f' ? st.isFile() : st.isDirectory(), e.path).toBe(true);
      expect((st.mode & 0o7777).toString(8), e.path).toBe((e.mode ?? -1).toString(8));
      expect([st.uid, st.gid], e.path).toEqual([
        idOf('passwd', e.owner ?? ''),
        idOf('group', e.group ?? ''),
      ]);
      if (e.kind === 'f')
        expect(await fs.readFile(at, 'utf8')).toBe(
          await fs.readFile(join(DEVICE, 'rootfs', e.path), 'utf8'),
        );
    }
  });

  it('runs the app from /usr/local/bin/fieldbackup, without the build-time prepare script', async () => {
    // The link is absolute inside the image: follow it from the image root.
    const main = join(root, await fs.readlink(join(root, 'usr/local/bin/fieldbackup')));
    expect(main).toBe(join(root, 'opt/fieldbackup/dist/src/cli/main.js'));
    await fs.access(main, fs.constants.X_OK);
    // The service runs this file: its shebang (with the memory flags) is how the daemon starts.
    expect(await fs.readFile(main, 'utf8')).toMatch(
      /^#!\/usr\/bin\/env -S MALLOC_MMAP_THRESHOLD_=\d+ node --max-semi-space-size=\d+ /,
    );
    const pkg = JSON.parse(
      await fs.readFile(join(root, 'opt/fieldbackup/package.json'), 'utf8'),
    ) as {
      scripts: Record<string, string>;
      dependencies: Record<string, string>;
    };
    const repoPkg = JSON.parse(await fs.readFile('package.json', 'utf8')) as typeof pkg;
    expect(pkg.scripts.prepare).toBeUndefined();
    expect(pkg.dependencies).toEqual(repoPkg.dependencies);
    await fs.access(join(root, 'opt/fieldbackup/package-lock.json'));
  });

  it('passes systemd-analyze verify: units, dependencies and ExecStart in the image root', async () => {
    // The image's own systemd units (Raspberry Pi OS bookworm = Debian's systemd 252, as here).
    await fs.mkdir(join(root, 'usr/lib'), { recursive: true });
    await exec('cp', ['-a', '/usr/lib/systemd', join(root, 'usr/lib/systemd')]);
    const verify = (units: string[]) =>
      runScript('systemd-analyze', [
        'verify',
        '--man=no',
        '--generators=no',
        `--root=${root}`,
        ...units.map((u) => `/etc/systemd/system/${u}`),
      ]);
    const ok = await verify(UNITS);
    // Unknown keys and bad values are only warnings (exit 0): any output fails the check.
    expect(ok.stderr + ok.stdout).toBe('');
    expect(ok.code).toBe(0);

    // The check sees mistakes: a misspelt key and an ExecStart that is not in the image.
    const service = await fs.readFile(join(root, 'etc/systemd/system/fieldbackup.service'), 'utf8');
    await fs.writeFile(
      join(root, 'etc/systemd/system/broken.service'),
      service
        .replace('RestartSec=', 'RestartSecs=')
        .replace('/usr/local/bin/fieldbackup', '/usr/bin/nope'),
    );
    const broken = await verify(['broken.service']);
    expect(broken.stderr).toMatch(/Unknown key 'RestartSecs'/);
    expect(broken.stderr).toMatch(/\/usr\/bin\/nope is not executable/);
    await fs.rm(join(root, 'etc/systemd/system/broken.service'));
  });

  it('lets sshd accept keys only, whatever the main sshd_config says after the drop-in', async () => {
    const dir = await tempDir();
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'host_key')]);
    // Debian's sshd_config includes sshd_config.d first; the first value of a setting wins.
    await fs.writeFile(
      join(dir, 'sshd_config'),
      `Include ${root}/etc/ssh/sshd_config.d/*.conf\nPasswordAuthentication yes\nPermitRootLogin yes\nKbdInteractiveAuthentication yes\n`,
    );
    const { stdout } = await exec('/usr/sbin/sshd', [
      '-T',
      '-f',
      join(dir, 'sshd_config'),
      '-h',
      join(dir, 'host_key'),
    ]);
    const effective = new Set(stdout.split('\n'));
    for (const line of [
      'passwordauthentication no',
      'kbdinteractiveauthentication no',
      'permitemptypasswords no',
      'permitrootlogin no',
      'authenticationmethods publickey',
    ])
      expect(effective).toContain(line);
  });

  it('merges its config.txt block once and keeps the rest of the file', async () => {
    const other = await tempDir();
    const config = join(other, 'boot/firmware/config.txt');
    await fs.mkdir(join(other, 'boot/firmware'), { recursive: true });
    const stock = '# For more options, see config.txt(5)\ndtparam=audio=on\narm_64bit=1\n';
    await fs.writeFile(config, stock);
    expect((await runScript(ASSEMBLE, [DEVICE, other])).code).toBe(0);
    const once = await fs.readFile(config, 'utf8');
    expect((await runScript(ASSEMBLE, [DEVICE, other])).code).toBe(0);
    const twice = await fs.readFile(config, 'utf8');
    expect(twice).toBe(once);
    expect(once.startsWith(stock)).toBe(true);
    expect(once.match(/^# >>> fieldbackup/gm)).toHaveLength(1);
    // The block comes last, so its dtparam=audio=off overrides the stock line.
    expect(once.trimEnd().endsWith('# <<< fieldbackup')).toBe(true);
    expect(once.indexOf('dtparam=audio=off')).toBeGreaterThan(once.indexOf('dtparam=audio=on'));
  });

  it('refuses a file in device/rootfs that the manifest does not list, and a bad manifest line', async () => {
    const copy = await tempDir();
    await exec('cp', ['-a', DEVICE, join(copy, 'device')]);
    await fs.writeFile(join(copy, 'device/rootfs/etc/stray.conf'), 'x=1\n');
    const stray = await runScript(ASSEMBLE, [join(copy, 'device'), await tempDir()]);
    expect(stray.code).toBe(1);
    expect(stray.stderr).toMatch(
      /\/etc\/stray.conf is in device\/rootfs but not in .*rootfs.manifest/,
    );

    await fs.rm(join(copy, 'device/rootfs/etc/stray.conf'));
    await fs.appendFile(join(copy, 'device/rootfs.manifest'), 'f 644 root:root /etc/x\n');
    const bad = await runScript(ASSEMBLE, [join(copy, 'device'), await tempDir()]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/rootfs.manifest:\d+: mode "644" is not four octal digits/);
  });

  it('refuses to assemble into / and explains its usage', async () => {
    expect((await runScript(ASSEMBLE, [DEVICE, '/'])).stderr).toMatch(
      /refusing to assemble into \//,
    );
    const usage = await runScript(ASSEMBLE, [DEVICE]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/^usage: assemble-rootfs.sh DEVICE_DIR DEST/);
  });
});
