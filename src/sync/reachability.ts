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
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>(
    (resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)),
  );
  try {
    return await Promise.race([
      target.kind === 'sftp' ? sshBanner(target) : markerVisible(target.path),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

function sshBanner(target: { readonly host: string; readonly port: number }): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: target.host, port: target.port });
    let seen = '';
    const finish = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(30_000, () => finish(false));
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
