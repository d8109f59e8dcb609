import type { Catalog } from '../catalog/index.js';
import type { JobStatus } from '../core/index.js';
import { recentJobStatus } from '../ingest/index.js';
import { boxStatusLines, type BoxStatus } from '../status/index.js';
import type { StatusSource } from './status-source.js';
import { jobView, type BoxFacts, type JobView, type WebStatus } from './status-view.js';

/** What the page needs of the appliance: its status model, as the e-ink screen gets it. */
export interface BoxStatusFeed {
  status(): BoxStatus;
  onStatus(listener: (status: BoxStatus) => void): () => void;
}

/**
 * The page's status from the appliance's status model: the card in the reader live (phase,
 * progress, per-tier job status), the history of cards from the catalog, and the box's own
 * lines (camera, NAS, SSDs, power, problems) in the words `fieldbackup status` uses.
 */
export class BoxStatusSource implements StatusSource {
  private history: JobStatus[] | undefined;
  private historyKey = '';

  constructor(
    private readonly box: BoxStatusFeed,
    private readonly catalog: Catalog,
    private readonly historyLength = 10,
  ) {}

  snapshot(): WebStatus {
    return this.view(this.box.status());
  }

  subscribe(listener: (status: WebStatus) => void): () => void {
    return this.box.onStatus((s) => listener(this.view(s)));
  }

  private view(s: BoxStatus): WebStatus {
    const current = s.card.job;
    // Past cards change only when a card ends: read them from the catalog then, not per progress tick.
    const key = `${s.lastCard?.jobId ?? ''}|${s.lastCard?.at ?? ''}|${current?.jobId ?? ''}|${s.card.phase}`;
    if (this.history === undefined || key !== this.historyKey) {
      this.history = recentJobStatus(this.catalog, {
        limit: this.historyLength + 1,
        everyJob: true,
      });
      this.historyKey = key;
    }
    const jobs: JobView[] = [];
    if (current !== undefined) jobs.push({ ...jobView(current), phase: s.card.phase });
    for (const j of this.history)
      if (j.jobId !== current?.jobId && jobs.length <= this.historyLength) jobs.push(jobView(j));
    const box: BoxFacts = {
      ...(s.power.percent === undefined
        ? {}
        : {
            battery: { percent: Math.round(s.power.percent), charging: s.power.source === 'mains' },
          }),
      errors: s.problems.map((p) => p.message),
      lines: boxStatusLines(s)
        .slice(1)
        .map((l) => l.trim()),
    };
    return { at: s.at, jobs, box };
  }
}
