import { watch, type FSWatcher } from 'node:fs';
import * as fs from 'node:fs/promises';
import { basename, join } from 'node:path';
import {
  FieldBackupError,
  systemClock,
  type Clock,
  type SourceEntry,
  type SourceIdentity,
  type SourceWarning,
} from '../core/index.js';
import { chunksOf, errnoOf, openReadOnly, sourceErrorCode, wrapError } from '../platform/index.js';
import type { FeedNotice, Shot, TetherFeed } from './feed.js';
import { scanFolder, type ScannedFile } from './hot-folder-scan.js';
import { pause } from './pause.js';

export interface HotFolderOptions {
  /** A file counts once its size and mtime stayed the same this long (default 1 s). */
  readonly stableMs?: number;
  /** Full rescans this often, for shares that deliver no change events (default 2 s). */
  readonly pollMs?: number;
  readonly clock?: Clock;
}

interface Candidate {
  readonly file: ScannedFile;
  /** Monotonic ms when this size and mtime were first seen. */
  readonly since: number;
  announced: boolean;
}

/**
 * A folder that tethering software (Capture One, Lightroom, EOS Utility, …) writes into,
 * locally or on a share. A file counts once its size and mtime have not changed for
 * `stableMs` and it opens for reading; its read is checked again at the end, so a file still
 * being written is never recorded as complete. Change events (inotify) wake the scan at once;
 * a periodic rescan covers shares without them. Nothing in the folder is ever modified.
 */
export class HotFolder implements TetherFeed {
  readonly kind = 'hotfolder';
  private readonly clock: Clock;
  private readonly stableMs: number;
  private readonly pollMs: number;
  private readonly candidates = new Map<string, Candidate>();
  private readonly reported = new Set<string>();
  private watcher: FSWatcher | undefined;
  private wake: (() => void) | undefined;
  private changed = true;
  private lastScanMs = -Infinity;
  private realRoot: string | undefined;

  constructor(
    readonly root: string,
    options: HotFolderOptions = {},
  ) {
    this.clock = options.clock ?? systemClock;
    this.stableMs = options.stableMs ?? 1000;
    this.pollMs = options.pollMs ?? 2000;
  }

  async identify(): Promise<SourceIdentity> {
    const location = await this.resolveRoot();
    return { kind: 'hotfolder', name: basename(location) || location, location };
  }

  async *entries(onWarning: (warning: SourceWarning) => void): AsyncIterable<SourceEntry> {
    const files = await scanFolder(await this.resolveRoot(), (p) =>
      onWarning({ code: 'E_SOURCE_READ', message: p.message, path: p.relPath }),
    );
    for (const file of files) yield toEntry(file);
  }

  localPath(entry: SourceEntry): string {
    return join(this.realRoot ?? this.root, ...entry.relPath.split('/'));
  }

  async *read(entry: SourceEntry): AsyncIterable<Uint8Array> {
    const path = this.localPath(entry);
    const fail = (err: unknown, what: string): FieldBackupError =>
      wrapError(err, sourceErrorCode(err), `${what} ${entry.relPath}`, { path: entry.relPath });
    const handle = await openReadOnly(path).catch((err: unknown) => {
      throw fail(err, 'cannot open');
    });
    try {
      const chunks = chunksOf(handle);
      let step = await chunks.next();
      for (; step.done !== true; step = await chunks.next()) yield step.value;
      const end = await handle.stat();
      if (step.value !== entry.size || end.size !== entry.size || end.mtimeMs !== entry.mtimeMs) {
        throw new FieldBackupError(
          'E_SOURCE_CHANGED',
          `${entry.relPath} was still being written (${step.value} bytes read, ${entry.size} expected); it is backed up once it is complete`,
          {
            subject: { path: entry.relPath },
            retryable: true,
          },
        );
      }
    } catch (err) {
      throw fail(err, 'cannot read');
    } finally {
      await handle.close();
    }
  }

  async connect(signal: AbortSignal, notify: (notice: FeedNotice) => void) {
    for (let told = false; ; told = true) {
      try {
        const location = await this.resolveRoot();
        this.startWatching(location);
        return {
          identity: await this.identify(),
          existing: [],
          detail:
            this.watcher === undefined
              ? `polling every ${this.pollMs} ms`
              : 'change events + polling',
        };
      } catch (err) {
        if (signal.aborted) throw err;
        if (!told)
          notify({
            event: 'waiting',
            message: `waiting for the hot folder ${this.root} (${errnoOf(err) ?? String(err)})`,
          });
        await pause(this.pollMs, signal);
      }
    }
  }

  async nextShots(signal: AbortSignal, notify: (notice: FeedNotice) => void): Promise<Shot[]> {
    while (!signal.aborted) {
      const now = this.clock.monotonicMs();
      if (this.changed || now - this.lastScanMs >= this.pollMs || this.dueCandidate(now))
        await this.scan(notify);
      const ready = await this.readyShots();
      if (ready.length > 0) return ready;
      const nextDue = Math.min(this.lastScanMs + this.pollMs, ...this.pendingDue());
      await pause(Math.max(10, nextDue - this.clock.monotonicMs()), signal, (wake) => {
        this.wake = wake;
        return () => (this.wake = undefined);
      });
    }
    return [];
  }

  async settled(entry: SourceEntry, secured: boolean): Promise<boolean> {
    if (secured) return false;
    // Offered again by a later scan once it is stable (if it changed) …
    this.candidates.delete(entry.relPath);
    // … and retried as it is only while it has not changed.
    const st = await fs.stat(this.localPath(entry)).catch(() => undefined);
    return st?.size === entry.size && st.mtimeMs === entry.mtimeMs;
  }

  close(): Promise<void> {
    this.watcher?.close();
    this.watcher = undefined;
    return Promise.resolve();
  }

  private async resolveRoot(): Promise<string> {
    try {
      const real = await fs.realpath(this.root);
      if (!(await fs.stat(real)).isDirectory())
        throw Object.assign(new Error('not a folder'), { code: 'ENOTDIR' });
      this.realRoot = real;
      return real;
    } catch (err) {
      throw wrapError(err, 'E_SOURCE_MISSING', `hot folder ${this.root} cannot be read`, {
        path: this.root,
      });
    }
  }

  private startWatching(location: string): void {
    if (this.watcher !== undefined) return;
    try {
      this.watcher = watch(location, { recursive: true }, () => {
        this.changed = true;
        this.wake?.();
      });
      this.watcher.on('error', () => {
        // The folder went away (a share unmounted): polling notices and the runner reconnects.
        this.watcher?.close();
        this.watcher = undefined;
      });
    } catch {
      this.watcher = undefined; // no change events here: polling alone
    }
  }

  private async scan(notify: (notice: FeedNotice) => void): Promise<void> {
    this.changed = false;
    this.lastScanMs = this.clock.monotonicMs();
    let files: ScannedFile[];
    try {
      files = await scanFolder(this.realRoot ?? this.root, (p) => {
        if (this.reported.has(p.relPath)) return;
        this.reported.add(p.relPath);
        notify({ event: 'warning', code: 'E_SOURCE_READ', message: p.message, path: p.relPath });
      });
    } catch (err) {
      await this.close();
      throw new FieldBackupError(
        'E_DEVICE_GONE',
        `hot folder ${this.root} is gone (${errnoOf(err) ?? String(err)})`,
        {
          subject: { path: this.root },
          retryable: true,
        },
      );
    }
    const now = this.clock.monotonicMs();
    const present = new Set<string>();
    for (const file of files) {
      present.add(file.relPath);
      const known = this.candidates.get(file.relPath);
      if (
        known === undefined ||
        known.file.size !== file.size ||
        known.file.mtimeMs !== file.mtimeMs
      ) {
        this.candidates.set(file.relPath, { file, since: now, announced: false });
      }
    }
    for (const path of this.candidates.keys()) if (!present.has(path)) this.candidates.delete(path);
  }

  /** Candidates unchanged for `stableMs` since first seen that open for reading. */
  private async readyShots(): Promise<Shot[]> {
    const now = this.clock.monotonicMs();
    const shots: Shot[] = [];
    for (const c of this.candidates.values()) {
      if (
        c.announced ||
        c.file.size === 0 ||
        now - c.since < this.stableMs ||
        c.since > this.lastScanMs - this.stableMs
      )
        continue;
      const opened = await openReadOnly(
        join(this.realRoot ?? this.root, ...c.file.relPath.split('/')),
      ).catch(() => undefined);
      if (opened === undefined) continue;
      await opened.close();
      c.announced = true;
      shots.push({ entry: toEntry(c.file), announcedMs: now });
    }
    return shots;
  }

  private pendingDue(): number[] {
    return [...this.candidates.values()]
      .filter((c) => !c.announced)
      .map((c) => c.since + this.stableMs);
  }

  private dueCandidate(now: number): boolean {
    return this.pendingDue().some((due) => due <= now);
  }
}

function toEntry(file: ScannedFile): SourceEntry {
  return {
    relPath: file.relPath,
    size: file.size,
    mtimeMs: file.mtimeMs,
    protected: file.readOnly,
    tethered: true,
  };
}
