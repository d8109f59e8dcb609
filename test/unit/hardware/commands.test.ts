import { describe, expect, it } from 'vitest';
import {
  runCommand,
  runOrThrow,
  SystemPowerControl,
  type CommandRunner,
} from '../../../src/hardware/drivers/index.js';

describe('system tools', () => {
  it('runOrThrow passes a success through and turns a failure into an error with the tool’s words', async () => {
    await expect(runOrThrow(runCommand, 'sh', ['-c', 'echo ok'])).resolves.toMatchObject({
      code: 0,
      stdout: 'ok\n',
    });
    await expect(
      runOrThrow(runCommand, 'sh', ['-c', 'echo "no medium found" >&2; exit 32']),
    ).rejects.toThrow('sh -c echo "no medium found" >&2; exit 32: no medium found');
    await expect(runOrThrow(runCommand, 'fieldbackup-no-such-tool', [])).rejects.toThrow(
      /fieldbackup-no-such-tool/,
    );
  });

  it('powers off with the configured command; a refusal is reported', async () => {
    const calls: string[] = [];
    const run =
      (code: number): CommandRunner =>
      (cmd, args) => {
        calls.push([cmd, ...args].join(' '));
        return Promise.resolve({ code, stdout: '', stderr: code === 0 ? '' : 'Access denied' });
      };
    await new SystemPowerControl(['systemctl', 'poweroff'], run(0)).powerOff();
    expect(calls).toEqual(['systemctl poweroff']);
    await expect(new SystemPowerControl(['poweroff'], run(1)).powerOff()).rejects.toThrow(
      'Access denied',
    );
  });
});
