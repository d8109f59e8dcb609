import {
  FieldBackupError,
  errorMessage,
  isFieldBackupError,
  systemClock,
  type Clock,
  type SourceEntry,
  type SourceIdentity,
  type SourceWarning,
} from '../core/index.js';
import { CameraLink, type Connection } from './camera-link.js';
import type { CameraObject } from './camera-objects.js';
import type { EventStyle } from './camera-events.js';
import type { CameraConnector } from './connectors.js';
import type { FeedNotice, Shot, TetherFeed } from './feed.js';
import { Op } from './ptp/codes.js';
import type { SessionOptions } from './ptp-session.js';
import { problemOf } from './problem.js';
import { breaksLink, fromDevice } from './transport.js';

export interface CameraTetherOptions {
  /** How long a transfer waits for a lost camera to come back and resume (default 30 s). */
  readonly resumeWindowMs?: number;
  /** Resumes per file before it is given up on (it is tried again after the next reconnect). */
  readonly maxResumes?: number;
  readonly session?: SessionOptions;
  readonly eventStyle?: EventStyle;
  readonly retryMs?: readonly [number, number];
  readonly clock?: Clock;
}

/**
 * A tethered camera (USB or PTP/IP) as a source fed shot by shot. Reads are resumable: when
 * the link drops mid-object, read() waits for the camera to come back, finds the object again
 * by path, checks size and date, and continues with GetPartialObject from the byte it reached.
 * Nothing is ever written to, deleted from or changed on the camera.
 */
export class CameraTether implements TetherFeed {
  readonly kind = 'camera';
  private readonly link: CameraLink;
  private readonly clock: Clock;
  /** Handles being fetched now → their paths (Sony reuses one handle for every shot). */
  private readonly pending = new Map<number, string>();
  /** Images that live only in the camera's RAM, kept after their one read until secured. */
  private readonly memory = new Map<string, Buffer>();
  /** Canon capture-to-PC images: acknowledged with TransferComplete once secured. */
  private readonly transferRequests = new Map<string, number>();
  private readonly firstSeenAt = new Map<string, number>();
  private notify: (notice: FeedNotice) => void = () => undefined;
  private lastWaiting = '';

  constructor(
    connector: CameraConnector,
    private readonly options: CameraTetherOptions = {},
  ) {
    this.clock = options.clock ?? systemClock;
    this.link = new CameraLink(connector, {
      busy: (handle) => this.pending.has(handle),
      firstSeen: (key) => {
        const at = this.firstSeenAt.get(key) ?? this.clock.now().getTime();
        this.firstSeenAt.set(key, at);
        return at;
      },
      onAttempt: (err) =>
        this.waiting(`waiting for ${connector.description}: ${errorMessage(err)}`),
      ...(options.session === undefined ? {} : { session: options.session }),
      ...(options.eventStyle === undefined ? {} : { eventStyle: options.eventStyle }),
      ...(options.retryMs === undefined ? {} : { retryMs: options.retryMs }),
    });
  }

  async identify(): Promise<SourceIdentity> {
    return (await this.link.connection()).identity;
  }

  async *entries(onWarning: (warning: SourceWarning) => void): AsyncIterable<SourceEntry> {
    const connection = await this.link.connection();
    const objects = await this.guard(connection, () =>
      connection.objects.listAll((err) =>
        onWarning({
          code: 'E_SOURCE_READ',
          message: errorMessage(err),
          path: isFieldBackupError(err) ? (err.subject.path ?? '') : '',
        }),
      ),
    );
    for (const object of objects) yield object.entry;
  }

  async *read(entry: SourceEntry, signal?: AbortSignal): AsyncIterable<Uint8Array> {
    const kept = this.memory.get(entry.relPath);
    if (kept !== undefined) {
      yield kept;
      return;
    }
    let offset = 0;
    let copy: Buffer | undefined;
    for (let resumes = 0; ; resumes++) {
      try {
        const connection = await this.link.connection(
          this.options.resumeWindowMs ?? 30_000,
          signal,
        );
        const object = await this.locate(connection, entry);
        if (object.volatile && offset === 0) copy = Buffer.allocUnsafe(entry.size);
        try {
          for await (const chunk of connection.session.readObject(
            object.handle,
            offset,
            entry.size,
          )) {
            copy?.set(chunk, offset);
            offset += chunk.byteLength;
            yield chunk;
          }
        } catch (err) {
          if (breaksLink(err)) this.link.lost(connection);
          throw fromDevice(err, connection.session.location);
        }
        if (copy !== undefined) this.memory.set(entry.relPath, copy);
        return;
      } catch (err) {
        if (!breaksLink(err) || resumes >= (this.options.maxResumes ?? 5))
          throw aboutFile(err, entry, offset);
        this.notify(
          problemOf(aboutFile(err, entry, offset, 'resuming when the camera is back'), 'warning'),
        );
      }
    }
  }

  async connect(signal: AbortSignal, notify: (notice: FeedNotice) => void) {
    this.notify = notify;
    const connection = await this.link.connection(undefined, signal);
    this.lastWaiting = '';
    const objects = await this.guard(connection, () =>
      connection.objects.listAll((err) => notify(problemOf(err))),
    );
    return {
      identity: connection.identity,
      existing: objects.map((o) => o.entry),
      detail: connection.events.style,
    };
  }

  async nextShots(signal: AbortSignal, notify: (notice: FeedNotice) => void): Promise<Shot[]> {
    const connection = await this.link.connection(undefined, signal);
    const signals = await this.guard(connection, () => connection.events.next(signal));
    const announcedMs = this.clock.monotonicMs();
    const shots: Shot[] = [];
    for (const s of signals) {
      if (s.kind === 'store-full') {
        notify({
          event: 'warning',
          code: 'E_NO_SPACE',
          message: `the card in ${connection.identity.name} is full`,
        });
        continue;
      }
      if (s.kind === 'capture-complete') continue;
      let object: CameraObject | undefined;
      try {
        object = await this.guard(connection, () => connection.objects.describe(s.handle));
      } catch (err) {
        if (breaksLink(err)) throw err;
        notify(problemOf(err));
        continue;
      }
      if (object === undefined) continue;
      this.pending.set(object.handle, object.entry.relPath);
      if (s.kind === 'transfer-request')
        this.transferRequests.set(object.entry.relPath, object.handle);
      shots.push({ entry: object.entry, announcedMs });
    }
    return shots;
  }

  async settled(entry: SourceEntry, secured: boolean): Promise<boolean> {
    for (const [handle, path] of this.pending)
      if (path === entry.relPath) this.pending.delete(handle);
    this.memory.delete(entry.relPath);
    const handle = this.transferRequests.get(entry.relPath);
    this.transferRequests.delete(entry.relPath);
    // A camera keeps its files: a failed one is still there (the next listing tells otherwise).
    if (!secured) return true;
    if (handle === undefined) return false;
    // The image lived only in the camera's RAM: it is safe now, so the camera may let it go.
    try {
      const connection = await this.link.connection(1000);
      await connection.session.command(Op.CanonEosTransferComplete, [handle]);
    } catch (err) {
      this.notify(problemOf(err, 'warning'));
    }
    return false;
  }

  finishing(): void {
    this.link.stopReconnecting();
  }

  close(): Promise<void> {
    return this.link.close();
  }

  private waiting(message: string): void {
    if (message === this.lastWaiting) return;
    this.lastWaiting = message;
    this.notify({ event: 'waiting', message });
  }

  /** Runs camera work; a broken link is reported to the link so the next call reconnects. */
  private async guard<T>(connection: Connection, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (breaksLink(err)) this.link.lost(connection);
      throw fromDevice(err, connection.session.location);
    }
  }

  /** The entry's object on this connection: by its handle (stable on most cameras), else by listing. */
  private async locate(connection: Connection, entry: SourceEntry): Promise<CameraObject> {
    const known = connection.objects.find(entry.relPath);
    const found =
      known ??
      (await this.guard(connection, async () => {
        const listed = await connection.objects.listAll(() => undefined);
        return (
          listed.find((o) => o.entry.relPath === entry.relPath) ??
          this.volatileAgain(connection, entry)
        );
      }));
    if (found === undefined) {
      throw new FieldBackupError(
        'E_SOURCE_MISSING',
        `${entry.relPath} is no longer on the camera`,
        {
          subject: { path: entry.relPath, device: connection.session.location },
        },
      );
    }
    if (found.entry.size !== entry.size || found.entry.mtimeMs !== entry.mtimeMs) {
      throw new FieldBackupError(
        'E_SOURCE_CHANGED',
        `${entry.relPath} changed on the camera (${found.entry.size} bytes, was ${entry.size})`,
        {
          subject: { path: entry.relPath, device: connection.session.location },
        },
      );
    }
    return found;
  }

  /** An image in the camera's RAM is not listed; ask its fixed handle whether it is still the one. */
  private async volatileAgain(
    connection: Connection,
    entry: SourceEntry,
  ): Promise<CameraObject | undefined> {
    for (const [handle, path] of this.pending) {
      if (path !== entry.relPath) continue;
      const object = await connection.objects.describe(handle).catch((err: unknown) => {
        if (breaksLink(err)) throw err;
        return undefined;
      });
      if (object?.volatile === true && object.entry.relPath === entry.relPath) return object;
    }
    return undefined;
  }
}

/** An error while reading a file, naming it and how far it got. */
function aboutFile(
  err: unknown,
  entry: SourceEntry,
  offset: number,
  then?: string,
): FieldBackupError {
  const base = isFieldBackupError(err)
    ? err
    : new FieldBackupError('E_SOURCE_READ', errorMessage(err), { cause: err });
  const where = `${entry.relPath} at byte ${offset} of ${entry.size}`;
  return new FieldBackupError(
    base.code,
    `${where}: ${base.message}${then === undefined ? '' : `; ${then}`}`,
    {
      subject: { ...base.subject, path: entry.relPath },
      retryable: base.retryable,
      cause: err,
    },
  );
}
