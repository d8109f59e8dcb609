/**
 * Runs `worker` over `items` with at most `limit` at once, in order of start. Waits for every
 * started worker even when one fails, then rethrows the first failure.
 */
export async function forEachConcurrent<T>(
  items: Iterable<T>,
  limit: number,
  worker: (item: T) => Promise<void>,
): Promise<void> {
  const iterator = items[Symbol.iterator]();
  let failed = false;
  const lanes = Array.from({ length: Math.max(1, limit) }, async () => {
    for (let next = iterator.next(); !failed && next.done !== true; next = iterator.next()) {
      try {
        await worker(next.value);
      } catch (err) {
        failed = true;
        throw err;
      }
    }
  });
  const results = await Promise.allSettled(lanes);
  const rejected = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (rejected !== undefined) throw rejected.reason;
}
