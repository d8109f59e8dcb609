import type { CloseOptions, RemoteFile } from './remote.js';
import { REQUEST_BYTES, type SftpChannel } from './sftp-io.js';

/**
 * A remote file written with many requests in flight (the session's window of 64 × 32 KiB,
 * shared with the other files being sent), so a round trip per request does not set the
 * pace. ssh2 copies each request into its packet at once, so a caller's buffer is free again
 * when write() resolves.
 */
export class SftpFile implements RemoteFile {
  private readonly inFlight = new Set<Promise<void>>();
  private failure: Error | undefined;
  private closed = false;

  constructor(
    private readonly ch: SftpChannel,
    private readonly handle: Buffer,
    private readonly path: string,
    private readonly canFsync: boolean,
    private position = 0,
  ) {}

  async write(chunk: Uint8Array): Promise<void> {
    const buf = Buffer.isBuffer(chunk)
      ? chunk
      : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    for (let offset = 0; offset < buf.byteLength; offset += REQUEST_BYTES) {
      const release = await this.ch.slot();
      if (this.failure !== undefined) {
        release();
        throw this.failure;
      }
      const length = Math.min(REQUEST_BYTES, buf.byteLength - offset);
      const at = this.position;
      this.position += length;
      // ssh2 copies the bytes into its packet during this call: the caller's buffer is free after it.
      const request = this.ch
        .call('write', this.path, (cb) =>
          this.ch.sftp.write(this.handle, buf, offset, length, at, cb),
        )
        .then(
          () => undefined,
          (err: Error) => {
            this.failure ??= err;
          },
        )
        .finally(release);
      this.inFlight.add(request);
      void request.finally(() => this.inFlight.delete(request));
    }
  }

  /**
   * Waits for the writes, then sends set-mtime, fsync and close back to back: the server
   * handles one session's requests in order, so the three cost one round trip, not three.
   */
  async close(options: CloseOptions = {}): Promise<void> {
    try {
      await Promise.all(this.inFlight);
      this.throwIfFailed();
    } catch (err) {
      await this.closeHandle().catch(() => undefined);
      throw err;
    }
    const steps: Promise<void>[] = [];
    const { mtimeMs } = options;
    if (mtimeMs !== undefined) {
      steps.push(
        this.ch.call('setstat', this.path, (cb) =>
          this.ch.sftp.futimes(this.handle, mtimeMs / 1000, mtimeMs / 1000, cb),
        ),
      );
    }
    if (options.fsync === true && this.canFsync)
      steps.push(
        this.ch.call('fsync', this.path, (cb) => this.ch.sftp.ext_openssh_fsync(this.handle, cb)),
      );
    steps.push(this.closeHandle());
    const results = await Promise.allSettled(steps);
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed !== undefined) throw failed.reason;
  }

  async abort(): Promise<void> {
    await this.closeHandle().catch(() => undefined);
  }

  private throwIfFailed(): void {
    if (this.failure !== undefined) throw this.failure;
  }

  private async closeHandle(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.ch.call('close', this.path, (cb) => this.ch.sftp.close(this.handle, cb));
  }
}
