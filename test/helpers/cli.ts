import { runCli } from '../../src/cli/program.js';

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout parsed as JSON lines (empty when it is not JSON). */
  readonly events: Record<string, unknown>[];
}

/** Runs the CLI in this process with captured output. */
export async function cli(
  argv: readonly string[],
  options: {
    env?: NodeJS.ProcessEnv;
    tty?: boolean;
    interrupt?: AbortSignal;
    onOutput?: (stdout: string) => void;
  } = {},
): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    stdout: {
      write: (s: string) => {
        stdout += s;
        options.onOutput?.(stdout);
      },
      isTTY: options.tty === true,
      columns: 100,
    },
    stderr: { write: (s: string) => (stderr += s) },
    env: options.env ?? {},
    ...(options.interrupt === undefined
      ? {}
      : { interrupted: () => options.interrupt as AbortSignal }),
  });
  const events = stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  return { code, stdout, stderr, events };
}

/** The `done` event of a run (ingest's is followed by the metadata index's `indexed`). */
export function doneOf(run: CliRun): Record<string, unknown> | undefined {
  return run.events.find((e) => e.event === 'done');
}

/** `ingest <card> --vault A --vault B --home H …more` for a test box. */
export function ingestArgv(
  box: { card: string; vaultA: string; vaultB: string; home: string },
  ...more: string[]
): string[] {
  return [
    'ingest',
    box.card,
    '--vault',
    box.vaultA,
    '--vault',
    box.vaultB,
    '--home',
    box.home,
    ...more,
  ];
}
