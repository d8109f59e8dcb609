import { execFile } from 'node:child_process';

export interface CommandResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a system tool; a missing tool gives code 127, a tool that hangs is killed after the timeout. */
export type CommandRunner = (
  command: string,
  args: readonly string[],
  timeoutMs: number,
) => Promise<CommandResult>;

export const runCommand: CommandRunner = (command, args, timeoutMs) =>
  new Promise((resolve) => {
    execFile(
      command,
      [...args],
      { timeout: timeoutMs, encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' } },
      (err, stdout, stderr) => {
        if (err === null) {
          resolve({ code: 0, stdout, stderr });
          return;
        }
        const code =
          (err as { code?: unknown }).code === 'ENOENT'
            ? 127
            : typeof err.code === 'number'
              ? err.code
              : 1;
        resolve({ code, stdout, stderr: stderr === '' ? err.message : stderr });
      },
    );
  });

/**
 * Runs a tool whose failure the caller cannot work around (mount, lsblk, blkid, poweroff):
 * a non-zero exit becomes an Error carrying the tool's stderr, so every caller reports the
 * tool's own words instead of repeating the same code check.
 */
export async function runOrThrow(
  run: CommandRunner,
  command: string,
  args: readonly string[],
  timeoutMs = 30_000,
): Promise<CommandResult> {
  const result = await run(command, args, timeoutMs);
  if (result.code !== 0) {
    const detail = result.stderr.trim() || `exit code ${result.code}`;
    throw new Error(`${command} ${args.join(' ')}: ${detail}`);
  }
  return result;
}
