export { formatBytes } from '../tiers/index.js';

/** Where a command writes; the real process streams, or buffers in tests. */
export interface CliIo {
  readonly stdout: {
    write(text: string): unknown;
    readonly isTTY?: boolean;
    readonly columns?: number;
  };
  readonly stderr: { write(text: string): unknown };
  readonly env: NodeJS.ProcessEnv;
  /**
   * Ctrl-C and SIGTERM as an AbortSignal, for commands that run until stopped (tether); the
   * process installs its handlers on the first call only, so other commands keep the default.
   */
  readonly interrupted?: () => AbortSignal;
}

/** Exit codes: 0 everything verified; 1 something failed (the rest is done); 2 bad usage or config. */
export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

export function jsonLine(io: CliIo, value: unknown): void {
  io.stdout.write(`${JSON.stringify(value)}\n`);
}

/** A warning or error on stderr: `warning: DCIM/IMG_0001.CR2: the message`. */
export function writeProblem(
  io: CliIo,
  e: { readonly event: string; readonly path?: string | undefined; readonly message: string },
): void {
  io.stderr.write(`${e.event}: ${e.path === undefined ? '' : `${e.path}: `}${e.message}\n`);
}

export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = s % 60;
  return h > 0 ? `${h}h${String(m).padStart(2, '0')}m` : `${m}:${String(rest).padStart(2, '0')}`;
}
