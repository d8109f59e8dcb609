import * as fs from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import { MARKER_FILE } from '../vault/index.js';
import type { SyncTarget } from './target.js';

/**
 * Whether the NAS answers now, cheaply and without logging in: an SFTP server must send its
 * SSH banner, a mounted share must show its vault marker, both within the timeout (a share
 * whose server went away can hang a stat for minutes).
 */
export async function nasAnswers(target: SyncTarget, timeoutMs = 5_000): Promise<boolean> {
  // One deadline for everything the check opens: past it, the answer is no and the socket is gone.
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), timeoutMs);
  const timeout = new Promise<boolean>((resolve) =>
    deadline.signal.addEventListener('abort', () => resolve(false), { once: true }),
  );
  try {
    return await Promise.race([
      target.kind === 'sftp' ? sshBanner(target, deadline.signal) : markerVisible(target.path),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
    deadline.abort();
  }
}

function sshBanner(
  target: { readonly host: string; readonly port: number },
  signal: AbortSignal,
): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: target.host, port: target.port });
    let seen = '';
    const finish = (ok: boolean): void => {
      signal.removeEventListener('abort', stop);
      socket.destroy();
      resolve(ok);
    };
    const stop = (): void => finish(false);
    signal.addEventListener('abort', stop, { once: true });
    socket.on('data', (data: Buffer) => {
      seen += data.toString('latin1');
      if (seen.includes('\n')) finish(/^SSH-2\.0-/m.test(seen));
    });
    socket.on('error', () => finish(false));
    socket.on('close', () => finish(/^SSH-2\.0-/m.test(seen)));
  });
}

async function markerVisible(root: string): Promise<boolean> {
  return fs.stat(join(root, MARKER_FILE)).then(
    (st) => st.isFile(),
    () => false,
  );
}
