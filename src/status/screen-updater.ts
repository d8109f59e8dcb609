import { errorMessage, type Clock } from '../core/index.js';
import type { EinkPanel, MonoFrame, RefreshMode } from '../hardware/ports/index.js';
import type { BoxStatus } from './model.js';
import { sameFrame } from './raster.js';
import { isResting, screenModel } from './screen.js';

export interface ScreenPolicy {
  /** Progress is redrawn (partial refresh) at most this often. */
  readonly partialEveryMs: number;
  /** A full refresh (the panel flashes; it wears it) at most this often, except the final frame. */
  readonly fullEveryMs: number;
  /** Partial refreshes in a row before a full one is due (ghosting builds up). */
  readonly maxPartials: number;
}

export const DEFAULT_SCREEN_POLICY: ScreenPolicy = {
  partialEveryMs: 10_000,
  fullEveryMs: 180_000,
  maxPartials: 30,
};

/** A new headline is drawn after at most this long (a partial refresh takes ~0.3 s). */
const HEADLINE_GAP_MS = 1000;

/**
 * Keeps the e-ink screen in step with the status, kindly to the panel: a new state is drawn at
 * once (partial refresh), progress at most every `partialEveryMs`, a full refresh at most every
 * `fullEveryMs` — a resting frame drawn partially gets its clean full refresh when that time
 * has come — and the panel sleeps between refreshes. Only the latest status is ever drawn.
 */
export class ScreenUpdater {
  private latest: BoxStatus | undefined;
  private shown: MonoFrame | undefined;
  private shownHeadline = '';
  private lastDrawMs = -Infinity;
  private lastFullMs = -Infinity;
  private partials = 0;
  private timer: NodeJS.Timeout | undefined;
  private drawing: Promise<void> = Promise.resolve();
  private closed = false;
  /** Frames drawn, by mode (for the simulator's and tests' eyes). */
  readonly counts = { full: 0, partial: 0 };

  constructor(
    private readonly panel: EinkPanel,
    private readonly render: (status: BoxStatus) => Promise<MonoFrame>,
    private readonly policy: ScreenPolicy,
    private readonly clock: Clock,
    private readonly onError: (err: unknown) => void,
  ) {}

  update(status: BoxStatus): void {
    if (this.closed) return;
    this.latest = status;
    this.schedule(0);
  }

  /**
   * Draws the latest status now with a full refresh and waits: the last frame before
   * power-off, or a photographer's short press (`force`: even if nothing changed).
   */
  flush(force = false): Promise<void> {
    clearTimeout(this.timer);
    const run = this.drawing.then(async () => {
      const status = this.latest;
      if (status === undefined) return;
      const frame = await this.render(status);
      if (!force && sameFrame(frame, this.shown) && this.partials === 0) return;
      await this.show(frame, 'full', screenModel(status).headline);
    });
    this.drawing = run.catch(() => undefined);
    return run;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    await this.drawing;
  }

  private schedule(delayMs: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(
      () => {
        this.drawing = this.drawing
          .then(() => this.draw())
          .catch((err: unknown) => this.onError(err));
      },
      Math.max(0, delayMs),
    );
  }

  private async draw(): Promise<void> {
    const status = this.latest;
    if (status === undefined || this.closed) return;
    const now = this.clock.monotonicMs();
    const headline = screenModel(status).headline;
    const urgent = headline !== this.shownHeadline;
    const wait = urgent
      ? this.lastDrawMs + HEADLINE_GAP_MS - now
      : this.lastDrawMs + this.policy.partialEveryMs - now;
    if (wait > 0) {
      this.schedule(wait);
      return;
    }
    const frame = await this.render(status);
    const resting = isResting(status);
    const fullAllowed = now - this.lastFullMs >= this.policy.fullEveryMs;
    const changed = !sameFrame(frame, this.shown);
    // Unchanged: nothing to do, unless a resting frame still waits for its clean full refresh.
    if (!changed && !(resting && this.partials > 0)) return;
    if (!changed && !fullAllowed) {
      this.cleanUpLater(now);
      return;
    }
    const fullDue = this.shown === undefined || resting || this.partials >= this.policy.maxPartials;
    const mode: RefreshMode =
      this.shown === undefined || (fullDue && fullAllowed) ? 'full' : 'partial';
    await this.show(frame, mode, headline);
    if (mode === 'partial' && resting) this.cleanUpLater(now);
  }

  /** A resting frame drawn partially: a full refresh of it once one is allowed again. */
  private cleanUpLater(now: number): void {
    this.schedule(this.lastFullMs + this.policy.fullEveryMs - now);
  }

  private async show(frame: MonoFrame, mode: RefreshMode, headline: string): Promise<void> {
    try {
      await this.panel.show(frame, mode);
      await this.panel.sleep();
    } catch (err) {
      throw new Error(`e-ink screen: ${errorMessage(err)}`, { cause: err });
    }
    const now = this.clock.monotonicMs();
    this.shown = frame;
    this.shownHeadline = headline;
    this.lastDrawMs = now;
    this.counts[mode]++;
    if (mode === 'full') {
      this.lastFullMs = now;
      this.partials = 0;
    } else {
      this.partials++;
    }
  }
}
