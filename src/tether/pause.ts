/**
 * Resolves after `ms`, when `signal` aborts, or when `wakeOn` calls the function it is given
 * (it returns its own cleanup). Never rejects: callers look at their signal afterwards.
 */
export function pause(
  ms: number,
  signal?: AbortSignal,
  wakeOn?: (wake: () => void) => () => void,
): Promise<void> {
  return new Promise((resolve) => {
    let finished = false;
    const waking: { stop?: () => void } = {};
    const done = (): void => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      waking.stop?.();
      resolve();
    };
    const timer = setTimeout(done, ms);
    if (signal?.aborted === true) {
      done();
      return;
    }
    signal?.addEventListener('abort', done, { once: true });
    waking.stop = wakeOn?.(done);
    if (finished) waking.stop?.();
  });
}
