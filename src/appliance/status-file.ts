import * as fs from 'node:fs/promises';
import { errorMessage, type Clock, type Logger } from '../core/index.js';
import { writeFileAtomic } from '../platform/index.js';
import type { BoxStatus } from '../status/index.js';

/** What the daemon leaves for `fieldbackup status`: its latest snapshot and who wrote it. */
export interface StatusFileContent {
  readonly pid: number;
  readonly status: BoxStatus;
}

export const STATUS_FILE = 'box-status.json';

/** Progress is written at most this often; a change of phase at once. */
const PROGRESS_EVERY_MS = 5000;

const phases = (s: BoxStatus): string =>
  [
    s.mode,
    s.card.phase,
    s.tether.phase,
    s.sync.phase,
    s.power.level,
    s.vaults.map((v) => v.present).join(),
  ].join('|');

/** Writes the status snapshot atomically, sparingly (the catalog's disk is an SD card). */
export class StatusFile {
  private lastPhases = '';
  private lastWriteMs = -Infinity;
  private pending: BoxStatus | undefined;
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    readonly path: string,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  update(status: BoxStatus): void {
    this.pending = status;
    const urgent = phases(status) !== this.lastPhases;
    const wait = urgent ? 0 : this.lastWriteMs + PROGRESS_EVERY_MS - this.clock.monotonicMs();
    if (this.timer !== undefined && !urgent) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.flushSoon(), Math.max(0, wait));
  }

  /** Writes the latest snapshot now and waits for it. */
  async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.flushSoon();
    await this.writing;
  }

  private flushSoon(): void {
    this.timer = undefined;
    const status = this.pending;
    if (status === undefined) return;
    this.pending = undefined;
    this.lastPhases = phases(status);
    this.lastWriteMs = this.clock.monotonicMs();
    const content: StatusFileContent = { pid: process.pid, status };
    this.writing = this.writing
      .then(() => writeFileAtomic(this.path, `${JSON.stringify(content)}\n`, { replace: true }))
      .catch((err: unknown) =>
        this.logger.log('warn', `status file ${this.path}: ${errorMessage(err)}`),
      );
  }
}

/**
 * The daemon's last snapshot, and whether that daemon still runs (a snapshot left by a
 * daemon that died says what the box showed last, not what it does now).
 */
export async function readStatusFile(
  path: string,
): Promise<(StatusFileContent & { readonly live: boolean }) | undefined> {
  let text: string;
  try {
    text = await fs.readFile(path, 'utf8');
  } catch {
    return undefined;
  }
  const content = JSON.parse(text) as StatusFileContent;
  let live = true;
  try {
    process.kill(content.pid, 0);
  } catch (err) {
    live = (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  return { ...content, live };
}
