import type { PowerControl } from '../ports/index.js';
import { runCommand, runOrThrow, type CommandRunner } from './command.js';

/** `systemctl poweroff` (or the configured command); the UPS cuts power once the Pi has halted. */
export class SystemPowerControl implements PowerControl {
  constructor(
    private readonly command: readonly string[] = ['systemctl', 'poweroff'],
    private readonly run: CommandRunner = runCommand,
  ) {}

  async powerOff(): Promise<void> {
    const [cmd, ...args] = this.command;
    if (cmd === undefined) return;
    await runOrThrow(this.run, cmd, args);
  }
}
