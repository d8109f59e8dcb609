import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { onTestFinished } from 'vitest';

/** One datagram as systemd would see it: the sender's pid from SCM_CREDENTIALS, and the text. */
export interface NotifyMessage {
  readonly pid: number;
  readonly text: string;
}

export interface NotifySocket {
  /** The value for NOTIFY_SOCKET. */
  readonly path: string;
  readonly messages: readonly NotifyMessage[];
  /** Resolves with the first message (seen or to come) that matches; rejects after timeoutMs. */
  waitFor(match: (m: NotifyMessage) => boolean, timeoutMs?: number): Promise<NotifyMessage>;
}

/*
 * systemd's side of sd_notify, in Python because Node has no AF_UNIX datagram sockets: an
 * AF_UNIX/SOCK_DGRAM socket with SO_PASSCRED; each datagram is printed as JSON with the sender's
 * pid, and file descriptors passed with it (systemd-notify's BARRIER=1) are closed, which is how
 * systemd answers a barrier.
 */
const RECEIVER = `
import json, os, socket, struct, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
s.setsockopt(socket.SOL_SOCKET, socket.SO_PASSCRED, 1)
print("ready", flush=True)
while True:
    msg, anc, _flags, _addr = s.recvmsg(4096, socket.CMSG_SPACE(12) + socket.CMSG_SPACE(16 * 4))
    pid = -1
    for level, kind, data in anc:
        if level == socket.SOL_SOCKET and kind == socket.SCM_CREDENTIALS:
            pid = struct.unpack("iii", data[:12])[0]
        elif level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
            for fd in struct.unpack("%di" % (len(data) // 4), data[: len(data) - len(data) % 4]):
                os.close(fd)
    print(json.dumps({"pid": pid, "text": msg.decode()}), flush=True)
`;

/** A NOTIFY_SOCKET in `dir` that records what arrives; closed when the test ends. */
export async function notifySocket(dir: string): Promise<NotifySocket> {
  const path = join(dir, 'notify.sock');
  const child = spawn('python3', ['-u', '-c', RECEIVER, path], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  onTestFinished(() => {
    child.kill();
  });
  const messages: NotifyMessage[] = [];
  const waiters = new Set<() => void>();
  const lines = createInterface({ input: child.stdout });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('notify receiver did not start')), 10_000);
    child.once('exit', (code) => reject(new Error(`notify receiver exited (${code})`)));
    lines.on('line', (line) => {
      if (line === 'ready') {
        clearTimeout(timer);
        resolve();
        return;
      }
      messages.push(JSON.parse(line) as NotifyMessage);
      for (const wake of waiters) wake();
    });
  });
  return {
    path,
    messages,
    waitFor: (match, timeoutMs = 10_000) =>
      new Promise((resolve, reject) => {
        const check = (): void => {
          const found = messages.find(match);
          if (found === undefined) return;
          cleanup();
          resolve(found);
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(
            new Error(
              `no matching notification in ${timeoutMs} ms; got ${JSON.stringify(messages)}`,
            ),
          );
        }, timeoutMs);
        const cleanup = (): void => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      }),
  };
}
