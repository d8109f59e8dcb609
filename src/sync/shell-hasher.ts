import type { Client, ClientChannel } from 'ssh2';
import { isContentHash, type ContentHash } from '../core/index.js';

/**
 * One long-lived shell on the NAS that hashes files with xxhsum (XXH3-128, the box's own
 * content hash): a path per line in, a digest (or ERR) per line out. Verifying a large file
 * then costs a line each way instead of reading every byte back over the network. Started
 * once per session; an exec per file would cost a login shell each (~100 ms).
 */
const SCRIPT =
  `sh -c 'X=$(command -v xxhsum || command -v xxh128sum) || exit 3; ` +
  `while IFS= read -r p; do h=$("$X" -H2 -- "$p" 2>/dev/null) && printf "%s\\n" "\${h%% *}" || echo ERR; done'`;

export class ShellHasher {
  private buffer = '';
  private readonly waiting: ((line: string | Error) => void)[] = [];
  private dead: Error | undefined;

  private constructor(private readonly channel: ClientChannel) {
    channel.on('data', (data: Buffer) => this.onData(data));
    channel.stderr.on('data', () => undefined);
    channel.on('close', () => this.fail(new Error('the hashing shell on the NAS ended')));
  }

  /**
   * Starts the shell and checks it on a file whose hash is known (so it hashes what SFTP sees,
   * even on a server with a chroot). undefined when the NAS has no xxhsum or no shell.
   */
  static async start(
    client: Client,
    probe: { readonly path: string; readonly hash: ContentHash },
    timeoutMs: number,
  ): Promise<ShellHasher | undefined> {
    let hasher: ShellHasher | undefined;
    try {
      const channel = await new Promise<ClientChannel>((resolve, reject) =>
        client.exec(SCRIPT, (err, ch) => (err === undefined ? resolve(ch) : reject(err))),
      );
      hasher = new ShellHasher(channel);
      let timer: NodeJS.Timeout | undefined;
      const answer = await Promise.race([
        hasher.hash(probe.path),
        new Promise<undefined>(
          (resolve) => (timer = setTimeout(() => resolve(undefined), timeoutMs)),
        ),
      ]).finally(() => clearTimeout(timer));
      if (answer === probe.hash) return hasher;
    } catch {
      // No shell (an SFTP-only account), no xxhsum: verify by reading back instead.
    }
    hasher?.close();
    return undefined;
  }

  get alive(): boolean {
    return this.dead === undefined;
  }

  async hash(path: string): Promise<ContentHash> {
    if (this.dead !== undefined) throw this.dead;
    if (/[\n\r]/.test(path)) throw new Error(`cannot hash ${JSON.stringify(path)} in the shell`);
    const line = await new Promise<string | Error>((resolve) => {
      this.waiting.push(resolve);
      this.channel.write(`${path}\n`);
    });
    if (line instanceof Error) throw line;
    const digest = line.replace(/^\\/, '');
    if (!isContentHash(digest)) throw new Error(`xxhsum on the NAS could not hash ${path}`);
    return digest;
  }

  close(): void {
    this.fail(new Error('the hashing shell was closed'));
    this.channel.end();
  }

  private onData(data: Buffer): void {
    this.buffer += data.toString('utf8');
    for (let nl = this.buffer.indexOf('\n'); nl >= 0; nl = this.buffer.indexOf('\n')) {
      const line = this.buffer.slice(0, nl).trim();
      this.buffer = this.buffer.slice(nl + 1);
      this.waiting.shift()?.(line);
    }
  }

  private fail(err: Error): void {
    this.dead ??= err;
    for (const w of this.waiting.splice(0)) w(err);
  }
}
