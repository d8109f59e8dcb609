import { errorMessage, type Clock, type ErrorCode } from '../core/index.js';
import { EventBus } from '../platform/index.js';
import { INITIAL_STATUS, type BoxProblem, type BoxStatus } from '../status/index.js';

const MAX_PROBLEMS = 5;

/**
 * The one place the box's status lives: every part patches it, listeners (screen, LEDs,
 * status file, API) get each new snapshot once per turn of the event loop, never a half
 * updated one. Snapshots are immutable.
 */
export class StatusStore {
  private current: BoxStatus;
  private queued = false;
  private readonly bus: EventBus<BoxStatus>;

  constructor(
    private readonly clock: Clock,
    onListenerError: (err: unknown) => void,
  ) {
    this.current = { ...INITIAL_STATUS, at: clock.now().getTime() };
    this.bus = new EventBus(onListenerError);
  }

  get(): BoxStatus {
    return this.current;
  }

  on(listener: (status: BoxStatus) => void): () => void {
    return this.bus.on(listener);
  }

  patch(change: (s: BoxStatus) => Partial<BoxStatus>): void {
    const next = { ...this.current, ...change(this.current) };
    this.current = { ...next, at: this.clock.now().getTime() };
    if (this.queued) return;
    this.queued = true;
    queueMicrotask(() => {
      this.queued = false;
      this.bus.emit(this.current);
    });
  }

  problem(code: ErrorCode, message: string): void {
    const entry: BoxProblem = { code, message, at: this.clock.now().getTime() };
    this.patch((s) => ({
      problems: [entry, ...s.problems.filter((p) => p.message !== message)].slice(0, MAX_PROBLEMS),
    }));
  }

  /** A problem from anything thrown (a FieldBackupError keeps its code). */
  failure(err: unknown, fallback: ErrorCode = 'E_IO'): void {
    const code =
      typeof err === 'object' &&
      err !== null &&
      'code' in err &&
      typeof err.code === 'string' &&
      err.code.startsWith('E_')
        ? (err.code as ErrorCode)
        : fallback;
    this.problem(code, errorMessage(err));
  }

  /** Problems that no longer hold (a vault that came back) are dropped by their code and subject. */
  clearProblems(match: (p: BoxProblem) => boolean): void {
    if (!this.current.problems.some(match)) return;
    this.patch((s) => ({ problems: s.problems.filter((p) => !match(p)) }));
  }
}
