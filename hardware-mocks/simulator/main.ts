/**
 * `npm start [-- --scenario NAME] [--once] [--frames DIR] [--dir DIR]`: the whole box on
 * simulated hardware (see README "Simulator"). Exit code with --once: 0 when the box reached
 * the scenario's expected final state, 1 when not, 2 for bad usage.
 */
import { parseArgs } from 'node:util';
import { SCENARIOS } from './scenarios.js';
import { findScenario, simulate } from './run.js';

let args;
try {
  args = parseArgs({
    options: {
      scenario: { type: 'string', default: 'default' },
      once: { type: 'boolean', default: false },
      frames: { type: 'string' },
      dir: { type: 'string' },
      list: { type: 'boolean', default: false },
    },
  }).values;
  findScenario(args.scenario);
} catch (err) {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.stderr.write(
    'usage: npm start -- [--scenario NAME] [--once] [--frames DIR] [--dir DIR] [--list]\n',
  );
  process.exit(2);
}
if (args.list) {
  for (const s of SCENARIOS) process.stdout.write(`${s.name.padEnd(16)} ${s.about}\n`);
  process.exit(0);
}
const interrupted = new Promise<void>((resolve) => {
  process.once('SIGINT', () => resolve());
  process.once('SIGTERM', () => resolve());
});
const result = await simulate(
  {
    scenario: args.scenario,
    once: args.once,
    ...(args.frames === undefined ? {} : { frames: args.frames }),
    ...(args.dir === undefined ? {} : { dir: args.dir }),
  },
  interrupted,
);
process.exitCode = result.ok ? 0 : 1;
