#!/usr/bin/env -S MALLOC_MMAP_THRESHOLD_=131072 node --max-semi-space-size=1 --heap-growing-percent=100
// The box has little memory to spare (bench:sync: a sync stays under 150 MB), and its defaults
// waste it:
// - V8 lets the young generation grow to 32 MB and the old one to four times what is live; a
//   1 MB semi-space and a growth factor of 2 cost no CPU time (a factor of 1.5 doubled the CPU
//   time of a large-file sync: it collected too often).
// - glibc raises its mmap threshold to the largest block freed (a 2 MiB read buffer), after
//   which every SSH packet comes from the heap and the heap fragments; this fixes it at its
//   default, 128 KiB.
// The systemd unit runs this file, so the daemon gets them too.
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
