#!/usr/bin/env node
import { runCli } from './program.js';

let stop: AbortController | undefined;
process.exitCode = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  interrupted: () => {
    if (stop === undefined) {
      const controller = new AbortController();
      const onSignal = (): void => {
        // A second Ctrl-C while shots are still being secured means "now".
        if (controller.signal.aborted) process.exit(130);
        controller.abort();
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
      stop = controller;
    }
    return stop.signal;
  },
});
