import type { CliIo } from '../../src/cli/io.js';

export interface CapturedIo extends CliIo {
  readonly out: () => string;
  readonly err: () => string;
}

/** A CliIo that keeps what is written, for unit tests of CLI pieces. */
export function captureIo(options: { tty?: boolean; columns?: number } = {}): CapturedIo {
  let out = '';
  let err = '';
  return {
    stdout: {
      write: (s: string) => (out += s),
      isTTY: options.tty ?? true,
      ...(options.columns === undefined ? {} : { columns: options.columns }),
    },
    stderr: { write: (s: string) => (err += s) },
    env: {},
    out: () => out,
    err: () => err,
  };
}
