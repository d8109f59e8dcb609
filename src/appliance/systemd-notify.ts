import { execFile } from 'node:child_process';
import { silentLogger, type Logger } from '../core/index.js';

export interface SystemdNotifierOptions {
  /** The daemon's environment: NOTIFY_SOCKET, WATCHDOG_USEC and WATCHDOG_PID come from systemd. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** This process's id (the watchdog is ours only if WATCHDOG_PID names it or is unset). */
  readonly pid: number;
  /** The sender (default: systemd-notify on the PATH). */
  readonly command?: string;
  readonly logger?: Logger;
}

/** How long one notification may take (systemd answers the barrier at once when it is alive). */
const SEND_TIMEOUT_MS = 5000;

/**
 * sd_notify for a service of Type=notify: READY=1, STOPPING=1, STATUS=…, and WATCHDOG=1 every
 * half WatchdogSec while the event loop turns. Node has no AF_UNIX datagram sockets, so each
 * message goes through `systemd-notify`; run as root (as the box's service is), it sends with
 * the credentials of its parent, the daemon, so NotifyAccess=main accepts it even after
 * systemd-notify has exited. Messages go out one at a time, in order; a failure is logged (once
 * per distinct error) and never breaks the box.
 */
export class SystemdNotifier {
  private queue: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private readonly reported = new Set<string>();
  private readonly logger: Logger;

  private constructor(
    private readonly options: SystemdNotifierOptions,
    /** Half of WATCHDOG_USEC, when systemd watches this process. */
    readonly watchdogIntervalMs: number | undefined,
  ) {
    this.logger = options.logger ?? silentLogger;
  }

  /** The notifier of a process started by systemd with Type=notify; undefined otherwise. */
  static fromEnv(options: SystemdNotifierOptions): SystemdNotifier | undefined {
    const { env, pid } = options;
    if (env.NOTIFY_SOCKET === undefined || env.NOTIFY_SOCKET === '') return undefined;
    const usec = Number(env.WATCHDOG_USEC);
    const forUs = env.WATCHDOG_PID === undefined || Number(env.WATCHDOG_PID) === pid;
    const interval =
      forUs && Number.isFinite(usec) && usec > 0 ? Math.max(1, Math.floor(usec / 2000)) : undefined;
    return new SystemdNotifier(options, interval);
  }

  /** Sends one state ("READY=1", "STOPPING=1", "STATUS=copying 12/840"). */
  notify(state: string): void {
    this.queue = this.queue.then(() => this.send(state));
  }

  /**
   * Pings the watchdog every half interval while `healthy()` holds (default: always, so a hung
   * event loop is what stops the pings and makes systemd restart the daemon).
   */
  startWatchdog(healthy: () => boolean = () => true): void {
    if (this.watchdogIntervalMs === undefined || this.timer !== undefined) return;
    this.timer = setInterval(() => {
      if (healthy()) this.notify('WATCHDOG=1');
    }, this.watchdogIntervalMs);
    this.timer.unref();
  }

  /** Stops the pings and resolves once every queued message is sent. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.queue;
  }

  private send(state: string): Promise<void> {
    const { env, command = 'systemd-notify' } = this.options;
    return new Promise((resolve) => {
      execFile(
        command,
        [state],
        {
          timeout: SEND_TIMEOUT_MS,
          encoding: 'utf8',
          env: { PATH: env.PATH ?? '/usr/bin:/bin', NOTIFY_SOCKET: env.NOTIFY_SOCKET },
        },
        (err, _stdout, stderr) => {
          if (err !== null) this.failed(state, stderr.trim() || err.message);
          resolve();
        },
      );
    });
  }

  private failed(state: string, why: string): void {
    if (this.reported.has(why)) return;
    this.reported.add(why);
    this.logger.log('warn', `systemd-notify ${state}: ${why}`);
  }
}
