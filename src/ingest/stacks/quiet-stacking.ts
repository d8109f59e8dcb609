import { errorMessage, silentLogger, type Logger } from '../../core/index.js';
import type { FileIndexer, SecuredFileNotice } from '../metadata-indexer.js';
import type { BackgroundStacker } from './background-stacker.js';

export interface QuietStackingOptions {
  readonly stacker: BackgroundStacker;
  /** Resolves once the files handed over so far are indexed (the stack facet goes on captures). */
  readonly indexed: () => Promise<void>;
  /** How long no secured file must arrive before stacks are looked for. Default 5 s. */
  readonly quietMs?: number;
  /**
   * While this says so (the box copies a card), a look waits another quiet period: decoding
   * never takes the CPU from a copy that decides "safe to format".
   */
  readonly busy?: () => boolean;
  readonly logger?: Logger;
}

/** A burst arrives within seconds; 5 s without a new file means the photographer paused. */
export const DEFAULT_QUIET_MS = 5000;

/**
 * Stacks for sources whose files arrive one by one (a tethered camera, a hot folder): every
 * secured file goes to the stacker, and once no file arrived for `quietMs` the stacker looks
 * at what came (incrementally: each frame is decoded once, only the runs of frames it falls in
 * are regrouped). So a burst is looked at once it is over, not once per frame, and nothing is
 * decoded while shots keep coming. `flush()` when the session ends; `close()` on shutdown.
 */
export class QuietStacking implements FileIndexer {
  private timer: NodeJS.Timeout | undefined;
  private passes: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(private readonly options: QuietStackingOptions) {}

  add(file: SecuredFileNotice): void {
    this.options.stacker.add(file);
    if (this.closed) return;
    if (this.timer === undefined) {
      this.timer = setTimeout(() => {
        if (this.options.busy?.() === true) {
          this.timer?.refresh();
          return;
        }
        this.timer = undefined;
        void this.pass();
      }, this.options.quietMs ?? DEFAULT_QUIET_MS);
      // The box's own work keeps the process alive; this timer alone never should.
      this.timer.unref();
    } else {
      this.timer.refresh();
    }
  }

  /** Looks now at everything that arrived (the session ended); resolves when done. */
  async flush(): Promise<void> {
    this.cancel();
    await this.pass();
  }

  /**
   * Shutdown: no more looks; one in progress stops after the frames it is decoding. What was
   * not looked at is recorded as such, with `reason` (not "still being looked for" forever).
   */
  async close(reason: string): Promise<void> {
    this.closed = true;
    this.cancel();
    this.options.stacker.cancel(reason);
    await this.pass();
  }

  private cancel(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** One look at a time; a pass never throws (the stacker reports its own failures). */
  private pass(): Promise<void> {
    this.passes = this.passes.then(async () => {
      try {
        await this.options.indexed();
        await this.options.stacker.drain();
      } catch (err) {
        (this.options.logger ?? silentLogger).log('error', `stacks: ${errorMessage(err)}`);
      }
    });
    return this.passes;
  }
}
