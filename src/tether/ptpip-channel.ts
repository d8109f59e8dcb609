import * as net from 'node:net';
import type { FieldBackupError } from '../core/index.js';
import { PacketSplitter, type Frame } from './ptp/ptpip-packets.js';
import { deviceGone } from './transport.js';

/** Above this many unread data bytes the socket is paused, so a slow disk slows the camera, not memory. */
const HIGH_WATER = 8 << 20;
const LOW_WATER = 2 << 20;

/**
 * One PTP/IP TCP connection as a queue of frames, with backpressure. A socket that closes or
 * breaks the protocol fails every reader from then on with a clear error.
 */
export class PtpIpChannel {
  private readonly frames: Frame[] = [];
  private queuedBytes = 0;
  private waiter: (() => void) | undefined;
  private failure: FieldBackupError | undefined;
  private readonly splitter = new PacketSplitter();

  private constructor(
    private readonly socket: net.Socket,
    private readonly location: string,
  ) {
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (err) =>
      this.fail(deviceGone(location, `connection error: ${err.message}`, err)),
    );
    socket.on('close', () => this.fail(deviceGone(location, 'connection closed')));
  }

  static connect(
    host: string,
    port: number,
    location: string,
    timeoutMs: number,
  ): Promise<PtpIpChannel> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host, port });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(deviceGone(location, `no answer on TCP port ${port} within ${timeoutMs} ms`));
      }, timeoutMs);
      socket.once('error', (err) => {
        clearTimeout(timer);
        reject(
          deviceGone(
            location,
            `cannot connect to TCP port ${port}: ${(err as NodeJS.ErrnoException).code ?? err.message}`,
            err,
          ),
        );
      });
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.removeAllListeners('error');
        socket.setNoDelay(true);
        // Wi-Fi that vanishes leaves a half-open socket: keepalive plus our own timeouts find it.
        socket.setKeepAlive(true, 5_000);
        resolve(new PtpIpChannel(socket, location));
      });
    });
  }

  write(bytes: Buffer): void {
    if (this.failure !== undefined) throw this.failure;
    this.socket.write(bytes);
  }

  /** The next frame, waiting at most `timeoutMs`; undefined on timeout. */
  async next(timeoutMs: number): Promise<Frame | undefined> {
    if (this.frames.length === 0 && this.failure === undefined) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          this.waiter = undefined;
          resolve();
        }, timeoutMs);
        this.waiter = () => {
          clearTimeout(timer);
          this.waiter = undefined;
          resolve();
        };
      });
    }
    const frame = this.frames.shift();
    if (frame === undefined) {
      if (this.failure !== undefined) throw this.failure;
      return undefined;
    }
    if (frame.kind === 'data') {
      this.queuedBytes -= frame.bytes.byteLength;
      if (this.queuedBytes < LOW_WATER && this.socket.isPaused()) this.socket.resume();
    }
    return frame;
  }

  /** Like next(), but silence means the camera is gone. */
  async expect(timeoutMs: number, what: string): Promise<Frame> {
    const frame = await this.next(timeoutMs);
    if (frame === undefined)
      throw deviceGone(this.location, `no answer within ${timeoutMs} ms while ${what}`);
    return frame;
  }

  close(): void {
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    try {
      for (const frame of this.splitter.push(chunk)) {
        this.frames.push(frame);
        if (frame.kind === 'data') this.queuedBytes += frame.bytes.byteLength;
      }
    } catch (err) {
      this.fail(err as FieldBackupError);
      this.socket.destroy();
    }
    if (this.queuedBytes > HIGH_WATER) this.socket.pause();
    this.waiter?.();
  }

  private fail(err: FieldBackupError): void {
    this.failure ??= err;
    this.waiter?.();
  }
}
