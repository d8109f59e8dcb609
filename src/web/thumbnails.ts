import { fork, type ChildProcess } from 'node:child_process';
import { access } from 'node:fs/promises';
import { setPriority } from 'node:os';
import { join } from 'node:path';
import type { CaptureRecord, Catalog } from '../catalog/index.js';
import { errorMessage, type Logger } from '../core/index.js';
import { PHOTOS_DIR, STATE_DIR } from '../vault/index.js';
import { builtFiles } from './built-files.js';
import type { MountedVault } from './capture-editor.js';
import { previewFiles } from './capture-files.js';
import type { ThumbReply, ThumbRequest } from './thumb-protocol.js';

/** Gallery tiles and the detail view. */
export const THUMB_PX = { small: 360, large: 1600 } as const;
export type ThumbSize = keyof typeof THUMB_PX;

/** The lowest priority there is: the kernel runs the worker only when nothing else wants the CPU. */
const NICE = 19;

interface Job {
  readonly request: Omit<ThumbRequest, 'id'>;
  readonly waiters: ((path: string | undefined) => void)[];
}

export interface ThumbnailOptions {
  readonly catalog: Catalog;
  readonly vaults: readonly MountedVault[];
  readonly logger: Logger;
  /** The compiled worker (default: the build's). */
  readonly workerScript?: string;
}

/**
 * Thumbnails of captures from their embedded previews, cached in the vault's
 * `.fieldbackup/thumbs/` (content-addressed: a capture's preview file's xxh128, so a capture
 * seen on two cards shares it). Made one at a time by a worker process at nice 19; a request
 * from a page goes before the background queue.
 */
export class Thumbnails {
  private worker: ChildProcess | undefined;
  private readonly urgent: Job[] = [];
  private readonly background: Job[] = [];
  private readonly byOut = new Map<string, Job>();
  private readonly noPreview = new Set<string>();
  private inFlight: { id: number; job: Job } | undefined;
  private nextId = 1;
  private closed = false;

  constructor(private readonly options: ThumbnailOptions) {}

  /** The cached thumbnail's path, made now (before the background queue) if needed. */
  async get(capture: CaptureRecord, size: ThumbSize): Promise<string | undefined> {
    const plan = this.plan(capture, size);
    if (plan === undefined || this.noPreview.has(plan.out)) return undefined;
    if (await exists(plan.out)) return plan.out;
    return new Promise((done) => this.enqueue(plan, done, this.urgent));
  }

  /** Queues small thumbnails of captures that lack one, behind every page request. */
  async prefetch(captures: Iterable<CaptureRecord>): Promise<number> {
    let queued = 0;
    for (const capture of captures) {
      const plan = this.plan(capture, 'small');
      if (plan === undefined || this.byOut.has(plan.out) || (await exists(plan.out))) continue;
      this.enqueue(plan, () => undefined, this.background);
      queued++;
    }
    return queued;
  }

  /** Resolves when the queue is empty (for a caller that filled it). */
  async idle(): Promise<void> {
    while (this.inFlight !== undefined || this.urgent.length + this.background.length > 0)
      await new Promise<void>((done) => {
        const job = this.inFlight?.job ?? this.urgent[0] ?? this.background[0];
        if (job === undefined) done();
        else job.waiters.push(() => done());
      });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const job of [...this.urgent, ...this.background])
      for (const w of job.waiters) w(undefined);
    this.urgent.length = 0;
    this.background.length = 0;
    const worker = this.worker;
    this.worker = undefined;
    if (worker !== undefined && worker.exitCode === null) {
      const exited = new Promise((done) => worker.once('exit', done));
      worker.disconnect();
      await exited;
    }
  }

  private plan(capture: CaptureRecord, size: ThumbSize): Omit<ThumbRequest, 'id'> | undefined {
    const files = previewFiles(capture);
    const first = files[0];
    if (first === undefined) return undefined;
    const sources: string[] = [];
    let cache: MountedVault | undefined;
    for (const f of files) {
      const copies = this.options.catalog.object(f.hash)?.copies ?? {};
      for (const vault of this.options.vaults) {
        const copy = copies[vault.id];
        if (copy === undefined) continue;
        cache ??= vault;
        sources.push(join(vault.root, PHOTOS_DIR, copy.path));
      }
    }
    if (cache === undefined) return undefined;
    const out = join(
      cache.root,
      STATE_DIR,
      'thumbs',
      first.hash.slice(0, 2),
      `${first.hash}-${size}.jpg`,
    );
    return {
      sources,
      out,
      px: THUMB_PX[size],
      ...(capture.metadata.orientation === undefined
        ? {}
        : { orientation: capture.metadata.orientation }),
    };
  }

  private enqueue(
    request: Omit<ThumbRequest, 'id'>,
    done: (path: string | undefined) => void,
    queue: Job[],
  ): void {
    if (this.closed) return done(undefined);
    const existing = this.byOut.get(request.out);
    if (existing !== undefined) {
      existing.waiters.push(done);
      // A page now wants what the background queued: move it up.
      const at = this.background.indexOf(existing);
      if (queue === this.urgent && at >= 0) {
        this.background.splice(at, 1);
        this.urgent.push(existing);
      }
      return;
    }
    const job: Job = { request, waiters: [done] };
    this.byOut.set(request.out, job);
    queue.push(job);
    this.pump();
  }

  private pump(): void {
    if (this.inFlight !== undefined || this.closed) return;
    const job = this.urgent.shift() ?? this.background.shift();
    if (job === undefined) return;
    const id = this.nextId++;
    this.inFlight = { id, job };
    this.workerProcess().send({ ...job.request, id } satisfies ThumbRequest);
  }

  private workerProcess(): ChildProcess {
    if (this.worker !== undefined) return this.worker;
    const worker = fork(this.options.workerScript ?? builtFiles.thumbWorker(), [], {
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    if (worker.pid !== undefined) setPriority(worker.pid, NICE);
    worker.stderr?.resume();
    worker.on('message', (reply: ThumbReply) => this.finish(reply));
    worker.on('exit', (code) => {
      if (this.worker === worker) this.worker = undefined;
      const lost = this.inFlight;
      if (lost !== undefined && !this.closed) {
        this.options.logger.log('warn', 'thumbnail worker exited', { code });
        this.finish({ id: lost.id, ok: false, reason: `worker exited (${String(code)})` });
      }
    });
    this.worker = worker;
    return worker;
  }

  private finish(reply: ThumbReply): void {
    const current = this.inFlight;
    if (current === undefined || current.id !== reply.id) return;
    this.inFlight = undefined;
    const { job } = current;
    this.byOut.delete(job.request.out);
    if (!reply.ok) {
      this.noPreview.add(job.request.out);
      this.options.logger.log('info', 'no thumbnail', { reason: reply.reason });
    }
    for (const w of job.waiters) {
      try {
        w(reply.ok ? job.request.out : undefined);
      } catch (err) {
        this.options.logger.log('error', 'thumbnail waiter failed', { error: errorMessage(err) });
      }
    }
    this.pump();
  }
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}
