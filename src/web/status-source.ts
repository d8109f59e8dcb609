import type { Catalog } from '../catalog/index.js';
import type { Clock } from '../core/index.js';
import { recentJobStatus } from '../ingest/index.js';
import { jobView, type BoxFacts, type WebStatus } from './status-view.js';

/**
 * Where the page's live status comes from. The appliance's status model implements it (the
 * same model the e-ink screen draws); `CatalogStatusSource` is the stand-alone one.
 */
export interface StatusSource {
  snapshot(): WebStatus;
  /** Calls `listener` with each changed status; returns the unsubscribe function. */
  subscribe(listener: (status: WebStatus) => void): () => void;
}

export interface CatalogStatusOptions {
  readonly catalog: Catalog;
  readonly clock: Clock;
  /** How often the catalog is read while a page is watching (ms). */
  readonly intervalMs?: number;
  /** Past jobs shown (the history of cards). */
  readonly history?: number;
  /** Box facts the caller knows (battery, sync); none by default. */
  readonly box?: () => BoxFacts;
}

/**
 * The status of the catalog's recent jobs, for `fieldbackup web` beside a CLI ingest in another
 * process: the catalog is the only shared state. It is read only while someone watches, and a
 * change is pushed only when the status differs, so an idle box does no work.
 */
export class CatalogStatusSource implements StatusSource {
  private readonly listeners = new Set<(status: WebStatus) => void>();
  private timer: NodeJS.Timeout | undefined;
  private last = '';

  constructor(private readonly options: CatalogStatusOptions) {}

  snapshot(): WebStatus {
    const jobs = recentJobStatus(this.options.catalog, {
      limit: this.options.history ?? 10,
      everyJob: true,
    });
    return {
      at: this.options.clock.now().getTime(),
      jobs: jobs.map(jobView),
      box: this.options.box?.() ?? { errors: [] },
    };
  }

  subscribe(listener: (status: WebStatus) => void): () => void {
    this.listeners.add(listener);
    this.timer ??= setInterval(() => this.poll(), this.options.intervalMs ?? 500);
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0 && this.timer !== undefined) {
        clearInterval(this.timer);
        this.timer = undefined;
        this.last = '';
      }
    };
  }

  private poll(): void {
    const status = this.snapshot();
    const key = JSON.stringify({ ...status, at: 0 });
    if (key === this.last) return;
    this.last = key;
    for (const listener of this.listeners) listener(status);
  }
}
