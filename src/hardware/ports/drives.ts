/**
 * Block devices as the box sees them: card readers (a card is a volume on a removable disk),
 * SSDs (recognised later by the vault marker on one of their volumes, never by device name),
 * and how they come and go.
 */

/** A filesystem the box could mount: a partition, or a whole disk formatted without a table. */
export interface Volume {
  /** Device node, e.g. /dev/sda1 (or /dev/sda for a "superfloppy" card). */
  readonly device: string;
  /** exfat, vfat, ext4, … when known. */
  readonly fsType?: string;
  /** Filesystem UUID or FAT/exFAT serial ("7B36-A529"). */
  readonly uuid?: string;
  readonly label?: string;
  readonly sizeBytes: number;
  /** Where it is mounted now (by anyone), in mount order. */
  readonly mountpoints: readonly string[];
}

/** A whole disk: a card reader slot with its card, a USB SSD, a loop device in tests. */
export interface BlockDevice {
  readonly device: string;
  /** Vendor, model, labels: for messages only. */
  readonly description: string;
  readonly sizeBytes: number;
  readonly removable: boolean;
  /** The computer's own disk (root filesystem): never touched. */
  readonly system: boolean;
  readonly readOnly: boolean;
  readonly volumes: readonly Volume[];
}

/** One look at the block devices now present (drivelist on the box; lsblk in tests keeps loop devices). */
export interface DriveLister {
  list(): Promise<BlockDevice[]>;
}

/**
 * Tells cheaply whether anything may have changed since the last look (the kernel's partition
 * table, a simulated reader's generation), so the full listing runs only when needed.
 */
export interface DriveChangeProbe {
  signature(): Promise<string>;
}

export type DriveEvent =
  | { readonly event: 'added'; readonly drive: BlockDevice }
  | { readonly event: 'removed'; readonly drive: BlockDevice }
  /** Same disk, different volumes (a card put into a reader slot, partitions appearing). */
  | { readonly event: 'changed'; readonly drive: BlockDevice; readonly before: BlockDevice };

export interface DriveWatcher {
  /** Starts watching; the devices present at start are reported as `added`. Returns `stop`. */
  watch(listener: (event: DriveEvent) => void): () => void;
  /** Looks now instead of at the next tick (a read error may mean the card is gone). */
  refresh(): Promise<void>;
  /** The devices as last seen. */
  current(): readonly BlockDevice[];
}
