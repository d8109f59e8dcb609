import type { JobView, WebStatus } from './api.js';
import { announce, formatBytes, h, show } from './dom.js';

function when(ms: number): string {
  return new Date(ms).toLocaleString([], { dateStyle: 'short', timeStyle: 'short' });
}

function job(j: JobView): HTMLElement {
  const headingId = `job-${j.jobId}`;
  const percent = j.bytes.total === 0 ? 100 : Math.floor((j.bytes.done / j.bytes.total) * 100);
  const running = j.state === 'running';
  return h(
    'section',
    {
      class: `job ${j.safeToFormat ? 'safe' : running ? 'running' : 'unsafe'}`,
      'aria-labelledby': headingId,
      'data-job': j.jobId,
    },
    h(
      'h2',
      { id: headingId },
      `${j.source.kind === 'camera' ? 'Camera' : 'Card'} ${j.source.name}`,
    ),
    h(
      'p',
      { class: 'verdict', 'data-verdict': j.safeToFormat ? 'safe' : 'unsafe' },
      j.safeToFormat
        ? '✓ Safe to format'
        : running
          ? `${j.phase === 'verifying' ? 'Verifying' : 'Copying'}… keep the card in`
          : 'NOT safe to format',
    ),
    h('p', { class: 'sentence' }, j.verdict),
    h(
      'div',
      { class: 'progress' },
      h(
        'label',
        { for: `bar-${j.jobId}` },
        `${j.files.done} of ${j.files.total} files, ${formatBytes(j.bytes.done)} of ${formatBytes(j.bytes.total)}`,
      ),
      h('progress', { id: `bar-${j.jobId}`, max: 100, value: percent }, `${percent} %`),
    ),
    h(
      'table',
      {},
      h('caption', { class: 'visually-hidden' }, `Captures per tier, card ${j.source.name}`),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', { scope: 'col' }, 'Tier'),
          h('th', { scope: 'col' }, 'Copied'),
          h('th', { scope: 'col' }, 'Verified per SSD'),
        ),
      ),
      h(
        'tbody',
        {},
        ...j.tiers.map((t) =>
          h(
            'tr',
            {},
            h('th', { scope: 'row' }, t.tier),
            h(
              'td',
              {},
              `${t.copied} / ${t.total}${t.pending > 0 ? ` (${t.pending} to go)` : ''}${t.short > 0 ? `, ${t.short} on one copy` : ''}${t.notCopied > 0 ? `, ${t.notCopied} not copied` : ''}`,
            ),
            h('td', {}, t.verified.map((v) => `${v.vault}: ${v.captures}`).join(', ') || '—'),
          ),
        ),
      ),
    ),
    j.problems.length > 0
      ? h(
          'ul',
          { class: 'problems', 'aria-label': 'Files that keep the card from being safe' },
          ...j.problems.map((p) => h('li', {}, p)),
        )
      : null,
    h(
      'p',
      { class: 'when' },
      `Started ${when(j.startedAt)}${j.endedAt === undefined ? '' : `, ended ${when(j.endedAt)}`}`,
    ),
  );
}

let lastVerdicts = new Map<string, boolean>();

/** Renders the status; announces a card that became safe to format. */
export function renderStatus(root: HTMLElement, status: WebStatus): void {
  const [current, ...past] = status.jobs;
  const box = status.box;
  show(
    root,
    h('h1', {}, 'Box status'),
    h(
      'ul',
      { class: 'box', 'aria-label': 'The box' },
      box.battery === undefined || box.lines !== undefined
        ? null
        : h(
            'li',
            {},
            `Battery ${box.battery.percent} %${box.battery.charging ? ' (charging)' : ''}`,
          ),
      box.sync === undefined ? null : h('li', {}, box.sync),
      ...(box.lines ?? []).map((l) => h('li', {}, l)),
      ...box.errors.map((e) => h('li', { class: 'error', role: 'alert' }, e)),
    ),
    current === undefined ? h('p', {}, 'No card yet: insert one and watch it here.') : job(current),
    past.length > 0 ? h('h2', { class: 'history' }, 'Earlier cards') : null,
    ...past.map(job),
  );
  const verdicts = new Map(status.jobs.map((j) => [j.jobId, j.safeToFormat] as const));
  for (const j of status.jobs)
    if (j.safeToFormat && lastVerdicts.get(j.jobId) === false)
      announce(`Card ${j.source.name} is safe to format.`);
  lastVerdicts = verdicts;
}

/** Live status over server-sent events (the browser reconnects by itself). */
export function watchStatus(onStatus: (s: WebStatus) => void): () => void {
  const events = new EventSource('/api/status/events');
  events.addEventListener('status', (e) =>
    onStatus(JSON.parse((e as MessageEvent<string>).data) as WebStatus),
  );
  return () => events.close();
}
