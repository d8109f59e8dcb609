import { FieldBackupError, type SourceIdentity } from '../core/index.js';
import { CameraObjects } from './camera-objects.js';
import {
  cameraEvents,
  chooseEventStyle,
  type CameraEvents,
  type EventStyle,
} from './camera-events.js';
import type { CameraConnector } from './connectors.js';
import { pause } from './pause.js';
import { PtpSession, type SessionOptions } from './ptp-session.js';
import type { PtpTransport } from './transport.js';

/** One live connection: a fresh PTP session after every reconnect (handles are per session). */
export interface Connection {
  readonly generation: number;
  readonly session: PtpSession;
  readonly objects: CameraObjects;
  readonly events: CameraEvents;
  readonly identity: SourceIdentity;
}

export interface CameraLinkOptions {
  readonly session?: SessionOptions;
  /** Force an event style (tests switch capabilities off); else chosen from DeviceInfo. */
  readonly eventStyle?: EventStyle;
  /** Is this handle being fetched right now? (see cameraEvents) */
  readonly busy: (handle: number) => boolean;
  readonly firstSeen: (key: string) => number;
  /** Told why each connection attempt failed. */
  readonly onAttempt?: (err: unknown) => void;
  /** Pauses between attempts: doubling from the first to the last value. */
  readonly retryMs?: readonly [number, number];
}

/**
 * Keeps one camera connected: connects on demand, and after a loss reconnects with back-off
 * (or at once when USB reports a device plugged in). Everyone waiting for the camera shares
 * the same attempt; a waiter may give up after its own deadline.
 */
export class CameraLink {
  private current: Connection | undefined;
  private connecting: Promise<Connection> | undefined;
  private generation = 0;
  private readonly stopped = new AbortController();

  constructor(
    readonly connector: CameraConnector,
    private readonly options: CameraLinkOptions,
  ) {}

  /** The live connection, waiting for one; E_DEVICE_GONE after `deadlineMs`, E_CANCELLED on abort. */
  async connection(deadlineMs?: number, signal?: AbortSignal): Promise<Connection> {
    if (this.current !== undefined) return this.current;
    if (this.connecting === undefined) {
      this.connecting = this.connectLoop().finally(() => (this.connecting = undefined));
      // Whoever gave up waiting must not leave the attempt's failure unhandled.
      this.connecting.catch(() => undefined);
    }
    const attempt = this.connecting;
    if (deadlineMs === undefined && signal === undefined) return attempt;
    const giveUp = new AbortController();
    const onAbort = (): void => giveUp.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const winner = await Promise.race([attempt, pause(deadlineMs ?? 2 ** 31 - 1, giveUp.signal)]);
      if (winner !== undefined) return winner;
      if (signal?.aborted === true) throw cancelled();
      throw new FieldBackupError(
        'E_DEVICE_GONE',
        `${this.connector.description} did not come back within ${Math.round((deadlineMs ?? 0) / 1000)} s`,
        { subject: { device: this.connector.description }, retryable: true },
      );
    } finally {
      giveUp.abort();
      signal?.removeEventListener('abort', onAbort);
    }
  }

  /** Reports a broken connection; the next `connection()` reconnects. */
  lost(connection: Connection): void {
    if (this.current !== connection) return;
    this.current = undefined;
    void connection.session.transport.close().catch(() => undefined);
  }

  /** No more connection attempts (waiters are told E_CANCELLED); a live connection stays. */
  stopReconnecting(): void {
    this.stopped.abort();
  }

  async close(): Promise<void> {
    this.stopped.abort();
    const connection = this.current;
    this.current = undefined;
    await connection?.session.close();
  }

  private async connectLoop(): Promise<Connection> {
    const [first, last] = this.options.retryMs ?? [250, 2000];
    for (let attempt = 0; ; attempt++) {
      if (this.stopped.signal.aborted) throw cancelled();
      let transport: PtpTransport | undefined;
      try {
        transport = await this.connector.connect();
        const session = await PtpSession.open(transport, this.options.session);
        const style = this.options.eventStyle ?? chooseEventStyle(session.deviceInfo);
        const events = cameraEvents(style, session, this.options.busy);
        await events.prepare();
        const info = session.deviceInfo;
        const connection: Connection = {
          generation: ++this.generation,
          session,
          objects: new CameraObjects(session, this.options.firstSeen),
          events,
          identity: {
            kind: 'camera',
            name: info.model || info.manufacturer || 'PTP camera',
            location: transport.location,
            ...(info.serialNumber === '' ? {} : { serial: info.serialNumber }),
          },
        };
        if (this.stopped.signal.aborted) {
          await session.close();
          throw cancelled();
        }
        this.current = connection;
        return connection;
      } catch (err) {
        if (this.stopped.signal.aborted) throw cancelled();
        await transport?.close().catch(() => undefined);
        this.options.onAttempt?.(err);
        await this.connector.waitForChange(
          Math.min(last, first * 2 ** Math.min(attempt, 10)),
          this.stopped.signal,
        );
      }
    }
  }
}

function cancelled(): FieldBackupError {
  return new FieldBackupError('E_CANCELLED', 'tethering stopped');
}
