/** Work in flight (copies, tether runs, syncs), so a shutdown can wait for all of it to end. */
export class WorkTracker {
  private readonly running = new Set<Promise<unknown>>();

  /** Tracks `work` until it settles; returns it unchanged. */
  track<T>(work: Promise<T>): Promise<T> {
    const settled = work.then(
      () => undefined,
      () => undefined,
    );
    this.running.add(settled);
    void settled.finally(() => this.running.delete(settled));
    return work;
  }

  /** Resolves when everything tracked now (and started meanwhile) has ended. */
  async drain(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
  }

  get busy(): boolean {
    return this.running.size > 0;
  }
}
