import { execFile } from 'node:child_process';

export interface CommandResult {
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a system tool (mount, lsblk, blkid, systemctl); injectable so option handling is testable. */
export type CommandRunner = (
  command: string,
  args: readonly string[],
  options?: { readonly timeoutMs?: number },
) => Promise<CommandResult>;

/** Rejects with an Error whose message carries the tool's stderr. */
export const runCommand: CommandRunner = (command, args, options = {}) =>
  new Promise((resolve, reject) => {
    execFile(
      command,
      [...args],
      { timeout: options.timeoutMs ?? 30_000, maxBuffer: 16 * 1024 * 1024 },
      (err, stdout, stderr) => {
        if (err === null) {
          resolve({ stdout, stderr });
          return;
        }
        const detail = stderr.trim() || err.message;
        reject(Object.assign(new Error(`${command} ${args.join(' ')}: ${detail}`), { cause: err }));
      },
    );
  });
