import type { BlockDevice, Volume } from '../ports/index.js';
import { runOrThrow, type CommandRunner } from './command.js';

/** lsblk's JSON (util-linux ≥ 2.37): booleans for rm/ro/hotplug, sizes in bytes, a mountpoints array. */
export interface LsblkNode {
  readonly name: string;
  readonly type?: string;
  readonly size?: number | string | null;
  readonly rm?: boolean | string | null;
  readonly hotplug?: boolean | string | null;
  readonly ro?: boolean | string | null;
  readonly tran?: string | null;
  readonly fstype?: string | null;
  readonly uuid?: string | null;
  readonly label?: string | null;
  readonly model?: string | null;
  readonly vendor?: string | null;
  readonly mountpoints?: readonly (string | null)[] | null;
  readonly mountpoint?: string | null;
  readonly children?: readonly LsblkNode[];
}

export const LSBLK_COLUMNS =
  'NAME,TYPE,SIZE,RM,HOTPLUG,RO,TRAN,FSTYPE,UUID,LABEL,MODEL,VENDOR,MOUNTPOINTS';

export async function runLsblk(
  run: CommandRunner,
  devices: readonly string[] = [],
): Promise<LsblkNode[]> {
  const { stdout } = await runOrThrow(
    run,
    'lsblk',
    ['--json', '--bytes', '--paths', '-o', LSBLK_COLUMNS, ...devices],
    10_000,
  );
  const parsed = JSON.parse(stdout) as { blockdevices?: LsblkNode[] };
  return parsed.blockdevices ?? [];
}

const flag = (v: boolean | string | null | undefined): boolean => v === true || v === '1';

const text = (v: string | null | undefined): string | undefined => {
  const t = v?.trim();
  return t === undefined || t === '' ? undefined : t;
};

function mountpointsOf(node: LsblkNode): string[] {
  const list = node.mountpoints ?? (node.mountpoint === undefined ? [] : [node.mountpoint]);
  return list.filter((m): m is string => typeof m === 'string' && m !== '');
}

function volumeOf(node: LsblkNode): Volume {
  const fsType = text(node.fstype);
  const uuid = text(node.uuid);
  const label = text(node.label);
  return {
    device: node.name,
    sizeBytes: Number(node.size ?? 0),
    mountpoints: mountpointsOf(node),
    ...(fsType === undefined ? {} : { fsType }),
    ...(uuid === undefined ? {} : { uuid }),
    ...(label === undefined ? {} : { label }),
  };
}

/**
 * A disk and its volumes: its partitions, or the disk itself when it carries a filesystem
 * directly (cards formatted without a partition table) or nothing is known about it yet.
 */
export function blockDeviceOf(node: LsblkNode): BlockDevice {
  const children = (node.children ?? []).filter((c) => c.type === undefined || c.type === 'part');
  const volumes = children.length > 0 ? children.map(volumeOf) : [volumeOf(node)];
  const mounted = [node, ...children].flatMap(mountpointsOf);
  const removable = flag(node.rm) || flag(node.hotplug);
  const description = [node.vendor, node.model, ...volumes.map((v) => v.label)]
    .map(text)
    .filter((s) => s !== undefined)
    .join(' ');
  return {
    device: node.name,
    description,
    sizeBytes: Number(node.size ?? 0),
    removable,
    system: mounted.some(
      (m) => m === '/' || m === '/boot' || m === '/boot/firmware' || m === '[SWAP]',
    ),
    readOnly: flag(node.ro),
    volumes,
  };
}
