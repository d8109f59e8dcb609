import * as fs from 'node:fs/promises';
import { errorMessage, silentLogger, type Logger } from '../../core/index.js';
import type {
  BlockDevice,
  DriveChangeProbe,
  DriveEvent,
  DriveLister,
  DriveWatcher,
} from '../ports/index.js';

/** The kernel's list of block devices and their sizes: changes when a disk, partition or card comes or goes. */
export class ProcPartitionsProbe implements DriveChangeProbe {
  constructor(private readonly path = '/proc/partitions') {}

  signature(): Promise<string> {
    return fs.readFile(this.path, 'utf8');
  }
}

export interface PollingWatcherOptions {
  /** How often the probe is read (≥ 1000 ms: a card is seen within a second, the CPU idles). */
  readonly pollMs: number;
  readonly logger?: Logger;
}

/** What makes two looks at a drive differ (mount points are left out: mounting is not a change). */
function shape(d: BlockDevice): string {
  return JSON.stringify([
    d.sizeBytes,
    d.volumes.map((v) => [v.device, v.fsType, v.uuid, v.label, v.sizeBytes]),
  ]);
}

/**
 * Watches drives without a busy loop: each tick reads one small kernel file (the probe) and
 * runs the full listing (drivelist / lsblk, a process spawn) only when it changed.
 */
export class PollingDriveWatcher implements DriveWatcher {
  private known = new Map<string, BlockDevice>();
  private lastSignature: string | undefined;
  private timer: NodeJS.Timeout | undefined;
  private looking: Promise<void> | undefined;
  private listener: ((event: DriveEvent) => void) | undefined;
  private readonly logger: Logger;

  constructor(
    private readonly lister: DriveLister,
    private readonly probe: DriveChangeProbe,
    private readonly options: PollingWatcherOptions,
  ) {
    this.logger = options.logger ?? silentLogger;
  }

  watch(listener: (event: DriveEvent) => void): () => void {
    this.listener = listener;
    this.timer = setInterval(() => void this.tick(), Math.max(1000, this.options.pollMs));
    void this.tick();
    return () => {
      clearInterval(this.timer);
      this.listener = undefined;
    };
  }

  current(): readonly BlockDevice[] {
    return [...this.known.values()];
  }

  refresh(): Promise<void> {
    this.lastSignature = undefined;
    return this.tick();
  }

  /** One look at a time; a tick during a look waits for it. */
  private tick(): Promise<void> {
    this.looking ??= this.look().finally(() => (this.looking = undefined));
    return this.looking;
  }

  private async look(): Promise<void> {
    let signature: string;
    try {
      signature = await this.probe.signature();
    } catch (err) {
      this.logger.log('warn', `drive probe failed: ${errorMessage(err)}`);
      signature = `error ${Date.now()}`;
    }
    if (signature === this.lastSignature) return;
    let drives: BlockDevice[];
    try {
      drives = await this.lister.list();
    } catch (err) {
      // Listed again at the next tick (the signature is not kept).
      this.logger.log('warn', `cannot list drives: ${errorMessage(err)}`);
      return;
    }
    this.lastSignature = signature;
    this.apply(drives);
  }

  private apply(drives: readonly BlockDevice[]): void {
    const next = new Map(drives.map((d) => [d.device, d]));
    const events: DriveEvent[] = [];
    for (const [device, before] of this.known)
      if (!next.has(device)) events.push({ event: 'removed', drive: before });
    for (const [device, drive] of next) {
      const before = this.known.get(device);
      if (before === undefined) events.push({ event: 'added', drive });
      else if (shape(before) !== shape(drive)) events.push({ event: 'changed', drive, before });
    }
    this.known = next;
    for (const e of events) this.listener?.(e);
  }
}
