import { execFile } from 'node:child_process';
import * as fs from 'node:fs/promises';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';

export interface MountEntry {
  readonly mountPoint: string;
  readonly fsType: string;
  /** The mounted device or share ("/dev/sda1", "server:/export", "tmpfs"). */
  readonly device: string;
  readonly options: readonly string[];
}

/** Parses /proc/self/mountinfo (proc(5)); octal escapes such as \040 are decoded. */
export function parseMountInfo(text: string): MountEntry[] {
  const entries: MountEntry[] = [];
  for (const line of text.split('\n')) {
    const sep = line.indexOf(' - ');
    if (sep < 0) continue;
    const left = line.slice(0, sep).split(' ');
    const right = line.slice(sep + 3).split(' ');
    const mountPoint = left[4];
    const fsType = right[0];
    const device = right[1];
    if (mountPoint === undefined || fsType === undefined || device === undefined) continue;
    entries.push({
      mountPoint: unescapeOctal(mountPoint),
      fsType,
      device: unescapeOctal(device),
      options: (left[5] ?? '').split(','),
    });
  }
  return entries;
}

function unescapeOctal(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
}

/** The mount whose mount point is exactly `path` (a real path), if any. */
export async function mountAt(path: string): Promise<MountEntry | undefined> {
  const text = await fs.readFile('/proc/self/mountinfo', 'utf8').catch(() => '');
  return parseMountInfo(text)
    .filter((m) => m.mountPoint === path)
    .at(-1);
}

export interface VolumeIds {
  readonly uuid?: string;
  readonly label?: string;
}

/** Filesystem UUID and label of a block device, from udev's /dev/disk links or, without udev, blkid. */
export async function volumeIds(device: string): Promise<VolumeIds> {
  const fromLinks = {
    uuid: await linkNameFor('/dev/disk/by-uuid', device),
    label: await linkNameFor('/dev/disk/by-label', device),
  };
  if (fromLinks.uuid !== undefined) return fromLinks;
  try {
    const { stdout } = await promisify(execFile)('blkid', ['-o', 'export', device], {
      timeout: 5000,
    });
    const fields = new Map(stdout.split('\n').map((l) => l.split('=', 2) as [string, string]));
    return {
      ...(fields.get('UUID') ? { uuid: fields.get('UUID') } : {}),
      ...(fields.get('LABEL') ? { label: fields.get('LABEL') } : {}),
    };
  } catch {
    return {};
  }
}

async function linkNameFor(dir: string, device: string): Promise<string | undefined> {
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch {
    return undefined;
  }
  const target = await fs.realpath(device).catch(() => device);
  for (const name of names) {
    const resolved = await fs.realpath(join(dir, name)).catch(() => '');
    // udev escapes characters such as spaces as \x20 in these names.
    if (resolved === target)
      return basename(name).replace(/\\x([0-9a-f]{2})/gi, (_, h: string) =>
        String.fromCharCode(parseInt(h, 16)),
      );
  }
  return undefined;
}

/**
 * Whether `path` is on the filesystem mounted at `/`: a folder of the machine's own disk, not
 * a share or drive mounted there. Compares device numbers, so a bind mount of a folder of the
 * root filesystem counts as on it too.
 */
export async function onRootFilesystem(path: string): Promise<boolean> {
  const [at, root] = await Promise.all([fs.stat(path), fs.stat('/')]);
  return at.dev === root.dev;
}
