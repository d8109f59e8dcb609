import { describe, expect, it } from 'vitest';
import { SystemdNotifier } from '../../../src/index.js';
import type { LogLevel } from '../../../src/core/index.js';
import { notifySocket } from '../../helpers/notify-socket.js';
import { hasCommand, isRoot, prerequisite } from '../../helpers/prereq.js';
import { tempDir } from '../../helpers/tmp.js';

const tools =
  prerequisite('systemd-notify', hasCommand('systemd-notify')) &&
  prerequisite('python3', hasCommand('python3'));

const collect = () => {
  const lines: { level: LogLevel; message: string }[] = [];
  return {
    lines,
    logger: { log: (level: LogLevel, message: string) => lines.push({ level, message }) },
  };
};

describe('SystemdNotifier from the environment', () => {
  it('is off when systemd did not start the process (no NOTIFY_SOCKET)', () => {
    expect(SystemdNotifier.fromEnv({ env: {}, pid: 42 })).toBeUndefined();
    expect(SystemdNotifier.fromEnv({ env: { NOTIFY_SOCKET: '' }, pid: 42 })).toBeUndefined();
  });

  it('pings at half of WatchdogSec, and only when the watchdog is this process', () => {
    const env = { NOTIFY_SOCKET: '/run/systemd/notify', WATCHDOG_USEC: '60000000' };
    expect(SystemdNotifier.fromEnv({ env, pid: 42 })?.watchdogIntervalMs).toBe(30_000);
    expect(
      SystemdNotifier.fromEnv({ env: { ...env, WATCHDOG_PID: '42' }, pid: 42 })?.watchdogIntervalMs,
    ).toBe(30_000);
    expect(
      SystemdNotifier.fromEnv({ env: { ...env, WATCHDOG_PID: '7' }, pid: 42 })?.watchdogIntervalMs,
    ).toBeUndefined();
    expect(
      SystemdNotifier.fromEnv({ env: { NOTIFY_SOCKET: '/run/systemd/notify' }, pid: 42 })
        ?.watchdogIntervalMs,
    ).toBeUndefined();
  });
});

describe.runIf(tools)('SystemdNotifier through systemd-notify', () => {
  it.runIf(prerequisite('root', isRoot()))(
    'sends READY=1 and STATUS with the daemon as sender, so NotifyAccess=main accepts them',
    async () => {
      const socket = await notifySocket(await tempDir());
      const notifier = SystemdNotifier.fromEnv({
        env: { NOTIFY_SOCKET: socket.path },
        pid: process.pid,
      });
      notifier?.notify('READY=1');
      notifier?.notify('STATUS=idle · card none');
      await notifier?.stop();
      const ready = await socket.waitFor((m) => m.text === 'READY=1');
      const status = await socket.waitFor((m) => m.text.startsWith('STATUS='));
      expect(ready.pid).toBe(process.pid);
      expect(status).toEqual({ pid: process.pid, text: 'STATUS=idle · card none' });
      // In the order they were sent.
      expect(socket.messages.indexOf(ready)).toBeLessThan(socket.messages.indexOf(status));
    },
  );

  it('pings the watchdog every half interval while healthy, and stops when told', async () => {
    const socket = await notifySocket(await tempDir());
    let healthy = true;
    const notifier = SystemdNotifier.fromEnv({
      env: { NOTIFY_SOCKET: socket.path, WATCHDOG_USEC: '200000' },
      pid: process.pid,
    });
    expect(notifier?.watchdogIntervalMs).toBe(100);
    notifier?.startWatchdog(() => healthy);
    await socket.waitFor(
      () => socket.messages.filter((m) => m.text === 'WATCHDOG=1').length >= 3,
      5000,
    );
    // Unhealthy: no more pings (systemd would restart the daemon after WatchdogSec).
    healthy = false;
    await notifier?.stop();
    const pings = socket.messages.filter((m) => m.text === 'WATCHDOG=1').length;
    notifier?.startWatchdog(() => healthy);
    await new Promise((resolve) => setTimeout(resolve, 350));
    await notifier?.stop();
    expect(socket.messages.filter((m) => m.text === 'WATCHDOG=1').length).toBe(pings);
  });

  it('reports a socket that is gone once in the log and keeps running', async () => {
    const dir = await tempDir();
    const { lines, logger } = collect();
    const notifier = SystemdNotifier.fromEnv({
      env: { NOTIFY_SOCKET: `${dir}/no-such.sock` },
      pid: process.pid,
      logger,
    });
    notifier?.notify('READY=1');
    notifier?.notify('READY=1');
    await notifier?.stop();
    expect(lines).toHaveLength(1);
    expect(lines[0]?.level).toBe('warn');
    expect(lines[0]?.message).toMatch(/^systemd-notify READY=1: .+/);
  });
});

describe('SystemdNotifier without systemd-notify', () => {
  it('logs that the tool is missing instead of failing the box', async () => {
    const { lines, logger } = collect();
    const notifier = SystemdNotifier.fromEnv({
      env: { NOTIFY_SOCKET: '/run/systemd/notify' },
      pid: process.pid,
      command: '/nonexistent/systemd-notify',
      logger,
    });
    notifier?.notify('STOPPING=1');
    await notifier?.stop();
    expect(lines).toHaveLength(1);
    expect(lines[0]?.message).toMatch(/^systemd-notify STOPPING=1: .*ENOENT/);
  });
});
