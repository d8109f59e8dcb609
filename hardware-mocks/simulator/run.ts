import * as fs from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Writable } from 'node:stream';
import type { BoxStatus, Logger } from '../../src/index.js';
import { SimulatedBox, type SimulatedBoxOptions } from './box.js';
import { SCENARIOS, type Scenario, type ScenarioRun } from './scenarios.js';
import { TerminalView } from './terminal.js';

export interface SimulationOptions {
  readonly scenario?: string;
  /** Where the e-ink PNGs go (default <dir>/frames). */
  readonly frames?: string;
  /** The box's folders (default: a new temp folder). */
  readonly dir?: string;
  /** Stop once the scenario is played (else the box stays up until `stop()` or Ctrl-C). */
  readonly once?: boolean;
  readonly out?: Writable & { isTTY?: boolean };
  readonly logger?: Logger;
}

export interface SimulationResult {
  readonly scenario: string;
  /** The expected final state was reached. */
  readonly ok: boolean;
  /** What differs from the expected final state (empty when ok). */
  readonly problems: readonly string[];
  readonly status: BoxStatus;
  readonly frames: readonly string[];
  readonly framesDir: string;
  readonly dir: string;
}

export function findScenario(name: string): Scenario {
  const scenario = SCENARIOS.find((s) => s.name === name);
  if (scenario === undefined)
    throw new Error(`no scenario "${name}"; there are: ${SCENARIOS.map((s) => s.name).join(', ')}`);
  return scenario;
}

/**
 * Plays a scenario on a simulated box and checks where it ended. With `once`, the box is
 * stopped afterwards; without, it keeps running (idle, LEDs live) until `keepRunning` ends.
 */
export async function simulate(
  options: SimulationOptions,
  keepRunning: Promise<void> = Promise.resolve(),
): Promise<SimulationResult> {
  const scenario = findScenario(options.scenario ?? 'default');
  const out = options.out ?? process.stdout;
  const dir = options.dir ?? (await fs.mkdtemp(join(tmpdir(), 'fieldbackup-sim-')));
  await fs.mkdir(dir, { recursive: true });
  const framesDir = resolve(options.frames ?? join(dir, 'frames'));
  const base: SimulatedBoxOptions = {
    dir,
    frames: framesDir,
    ...(options.logger === undefined ? {} : { logger: options.logger }),
    ...(await scenario.box?.(dir)),
  };
  out.write(`Scenario "${scenario.name}": ${scenario.about}\n`);
  out.write(`Box folders: ${dir}\nE-ink frames (PNG): ${framesDir}\n`);
  let view: TerminalView | undefined;
  const frames: string[] = [];
  let boots = 1;
  const attach = (sim: SimulatedBox): SimulatedBox => {
    view?.stop();
    view = new TerminalView(out, sim);
    view.start();
    return sim;
  };
  const run: ScenarioRun = {
    sim: attach(await SimulatedBox.start(base)),
    dir,
    say: (line) => view?.say(line),
    restart: async (more = {}) => {
      await run.sim.stop();
      frames.push(...run.sim.frames.written);
      // The next boot's frames beside the first's (frame numbers start again at 1).
      const boot = `boot-${++boots}`;
      run.sim = attach(
        await SimulatedBox.start({ ...base, frames: join(framesDir, boot), ...more }),
      );
      return run.sim;
    },
  };
  let problems: string[];
  try {
    await scenario.play(run);
    await run.sim.frames.flushed();
    problems = await scenario.check(run);
  } catch (err) {
    problems = [err instanceof Error ? err.message : String(err)];
  }
  if (options.once !== true) {
    view?.say('the box keeps running (Ctrl-C to stop)');
    await keepRunning;
  }
  const status = run.sim.status();
  await run.sim.stop();
  view?.stop();
  frames.push(...run.sim.frames.written);
  out.write(
    problems.length === 0
      ? `✓ expected final state reached: ${scenario.expected}\n`
      : `✗ expected: ${scenario.expected}\n${problems.map((p) => `  - ${p}\n`).join('')}`,
  );
  out.write(`${frames.length} e-ink frames in ${framesDir} (latest.png is the last)\n`);
  return {
    scenario: scenario.name,
    ok: problems.length === 0,
    problems,
    status,
    frames,
    framesDir,
    dir,
  };
}
