interface Task {
  readonly rank: number;
  readonly seq: number;
  readonly owner: unknown;
  readonly run: () => Promise<void>;
  readonly onCancel: (() => void) | undefined;
}

/**
 * Runs file tasks by tier rank (lower first), a few at once, with one rule: no task starts
 * while a task of a more important rank is still running. So every critical file is secured
 * before the first standard byte is written, and a critical file that arrives mid-ingest (a
 * tethered shot, a second card) starts as soon as a lane frees, within one file.
 */
export class TierScheduler {
  private readonly queue: Task[] = [];
  private readonly running = new Set<Task>();
  private seq = 0;

  constructor(
    private readonly lanes: number,
    private readonly onTaskError: (err: unknown) => void,
  ) {}

  /** Queues a task; `onCancel` runs instead of it if its owner is cancelled before it starts. */
  submit(rank: number, owner: unknown, run: () => Promise<void>, onCancel?: () => void): void {
    const task: Task = { rank, seq: this.seq++, owner, run, onCancel };
    const at = this.queue.findIndex((t) => t.rank > rank);
    this.queue.splice(at < 0 ? this.queue.length : at, 0, task);
    this.pump();
  }

  /** Drops the queued (not yet started) tasks of an owner; returns how many. */
  cancel(owner: unknown): number {
    let dropped = 0;
    for (let i = this.queue.length - 1; i >= 0; i--) {
      const task = this.queue[i];
      if (task !== undefined && task.owner === owner) {
        this.queue.splice(i, 1);
        task.onCancel?.();
        dropped++;
      }
    }
    return dropped;
  }

  get busy(): boolean {
    return this.queue.length > 0 || this.running.size > 0;
  }

  private pump(): void {
    while (this.running.size < Math.max(1, this.lanes)) {
      const head = this.queue[0];
      if (head === undefined) return;
      for (const r of this.running) if (r.rank < head.rank) return;
      this.queue.shift();
      this.running.add(head);
      head
        .run()
        .catch(this.onTaskError)
        .finally(() => {
          this.running.delete(head);
          this.pump();
        });
    }
  }
}
