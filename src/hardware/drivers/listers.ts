import type { BlockDevice, DriveLister, Volume } from '../ports/index.js';
import { runCommand, runOrThrow, type CommandRunner } from './command.js';
import { blockDeviceOf, runLsblk } from './lsblk.js';

/**
 * Fills in filesystem type, UUID and label that lsblk left empty (without udev, lsblk does
 * not probe): `blkid -p` reads the superblock itself, read-only.
 */
export async function probeVolume(run: CommandRunner, volume: Volume): Promise<Volume> {
  if (volume.fsType !== undefined || volume.sizeBytes === 0) return volume;
  let stdout: string;
  try {
    ({ stdout } = await runOrThrow(run, 'blkid', ['-p', '-o', 'export', volume.device], 10_000));
  } catch {
    return volume; // blank or unknown: nothing to mount, said so later by the mounter
  }
  const fields = new Map(
    stdout
      .split('\n')
      .map((l) => l.split('=', 2))
      .filter((kv): kv is [string, string] => kv.length === 2),
  );
  const type = fields.get('TYPE');
  const uuid = fields.get('UUID');
  const label = fields.get('LABEL');
  return {
    ...volume,
    ...(type === undefined ? {} : { fsType: type }),
    ...(uuid === undefined ? {} : { uuid }),
    ...(label === undefined ? {} : { label }),
  };
}

async function probeAll(run: CommandRunner, drives: BlockDevice[]): Promise<BlockDevice[]> {
  return Promise.all(
    drives.map(async (d) =>
      d.system
        ? d
        : { ...d, volumes: await Promise.all(d.volumes.map((v) => probeVolume(run, v))) },
    ),
  );
}

/**
 * The box's lister: `drivelist` names the disks (and which one is the system's), lsblk adds
 * their volumes. drivelist skips loop, ram and optical devices; empty reader slots (size 0)
 * are left out.
 */
export class DrivelistLister implements DriveLister {
  constructor(private readonly run: CommandRunner = runCommand) {}

  async list(): Promise<BlockDevice[]> {
    const drivelist = await import('drivelist');
    const drives = (await drivelist.list()).filter((d) => d.size !== null && d.size > 0);
    if (drives.length === 0) return [];
    const nodes = await runLsblk(
      this.run,
      drives.map((d) => d.device),
    );
    const out: BlockDevice[] = [];
    for (const d of drives) {
      const node = nodes.find((n) => n.name === d.device);
      if (node === undefined) continue; // gone between the two looks: the next tick sees it
      const device = blockDeviceOf(node);
      out.push({
        ...device,
        description: d.description || device.description,
        removable: d.isRemovable,
        system: d.isSystem || device.system,
        readOnly: d.isReadOnly,
      });
    }
    return probeAll(this.run, out);
  }
}

/**
 * lsblk alone, loop devices included (drivelist skips them): for tests and for boxes that
 * back up disk images. `keep` chooses the devices to report.
 */
export class LsblkLister implements DriveLister {
  constructor(
    private readonly keep: (device: BlockDevice) => boolean = () => true,
    private readonly run: CommandRunner = runCommand,
  ) {}

  async list(): Promise<BlockDevice[]> {
    const nodes = await runLsblk(this.run);
    const drives = nodes
      .map(blockDeviceOf)
      .filter((d) => d.sizeBytes > 0)
      .filter(this.keep);
    return probeAll(this.run, drives);
  }
}
