import { api, ApiError, type CaptureDetail, type Edit, type PickCopies } from './api.js';
import { announce, formatBytes, h, show } from './dom.js';
import { pairForm } from './pair-view.js';

const LABELS = ['', 'Red', 'Yellow', 'Green', 'Blue', 'Purple'];

function row(term: string, value: string | Node | undefined): HTMLElement[] {
  if (value === undefined || value === '') return [];
  return [h('dt', {}, term), h('dd', {}, value)];
}

function coordinates(gps: { lat: number; lon: number; alt?: number }): HTMLElement {
  const lat = `${Math.abs(gps.lat).toFixed(5)}° ${gps.lat >= 0 ? 'N' : 'S'}`;
  const lon = `${Math.abs(gps.lon).toFixed(5)}° ${gps.lon >= 0 ? 'E' : 'W'}`;
  // geo: opens the phone's own (offline-capable) map app; no tile server is ever contacted.
  return h(
    'a',
    { href: `geo:${gps.lat},${gps.lon}`, class: 'gps' },
    `${lat}, ${lon}${gps.alt === undefined ? '' : `, ${Math.round(gps.alt)} m`}`,
  );
}

function actions(c: CaptureDetail, onChange: (edit: Edit) => Promise<void>): HTMLElement {
  const flag = c.flag ?? 'none';
  const pressed = (v: boolean): string => (v ? 'true' : 'false');
  const starButtons = [0, 1, 2, 3, 4, 5].map((n) => {
    const b = h(
      'button',
      { type: 'button', 'aria-pressed': pressed((c.rating ?? 0) === n), 'data-rating': n },
      n === 0 ? 'No stars' : `${'★'.repeat(n)}`,
    );
    b.setAttribute('aria-label', n === 0 ? 'No stars' : `${n} star${n === 1 ? '' : 's'}`);
    b.addEventListener('click', () => void onChange({ rating: n }));
    return b;
  });
  const pick = h(
    'button',
    { type: 'button', class: 'pick', 'aria-pressed': pressed(flag === 'pick') },
    '⚑ Pick',
  );
  pick.addEventListener('click', () => void onChange({ flag: flag === 'pick' ? 'none' : 'pick' }));
  const reject = h(
    'button',
    { type: 'button', class: 'reject', 'aria-pressed': pressed(flag === 'reject') },
    '✕ Reject',
  );
  reject.addEventListener(
    'click',
    () => void onChange({ flag: flag === 'reject' ? 'none' : 'reject' }),
  );
  const select = h(
    'select',
    { id: 'label' },
    ...LABELS.map((l) =>
      h('option', { value: l, selected: (c.label ?? '') === l }, l === '' ? 'None' : l),
    ),
  );
  select.addEventListener('change', () => void onChange({ label: select.value }));
  return h(
    'section',
    { class: 'actions', 'aria-labelledby': 'actions-h' },
    h('h2', { id: 'actions-h' }, 'Cull'),
    h('div', { role: 'group', 'aria-label': 'Flag', class: 'flags' }, pick, reject),
    h('div', { role: 'group', 'aria-label': 'Rating', class: 'stars' }, ...starButtons),
    h('p', {}, h('label', { for: 'label' }, 'Colour label '), select),
    h(
      'p',
      { class: 'hint' },
      'A pick is copied and synced first. Edits go to an XMP sidecar on both SSDs; the original is never touched.',
    ),
  );
}

export async function renderDetail(root: HTMLElement, id: number): Promise<void> {
  let c: CaptureDetail;
  try {
    c = await api.capture(id);
  } catch (err) {
    show(
      root,
      h('h1', {}, 'Not found'),
      h('p', {}, err instanceof Error ? err.message : String(err)),
    );
    return;
  }
  const paired = await api.session().catch(() => false);
  const message = h('p', { class: 'message', role: 'status' });
  const change = async (edit: Edit): Promise<void> => {
    try {
      const result = await api.edit(c.id, edit);
      announce(
        `Saved on ${result.written.join(' and ')}${result.failed.length > 0 ? `; not on ${result.failed.map((f) => f.vault).join(', ')}` : ''}.${copiesText(result.copies)}`,
      );
      await renderDetail(root, id);
      root.querySelector<HTMLElement>('.actions [aria-pressed="true"]')?.focus();
    } catch (err) {
      message.textContent =
        err instanceof ApiError && err.status === 401
          ? 'Pair this phone first.'
          : err instanceof Error
            ? err.message
            : String(err);
    }
  };
  const back = c.stackId === undefined ? '#/gallery' : `#/stack/${encodeURIComponent(c.stackId)}`;
  show(
    root,
    h('p', {}, h('a', { href: back }, c.stackId === undefined ? '← Photos' : '← Stack')),
    h('h1', {}, c.name),
    h('img', { class: 'large', src: `/thumbs/${c.id}/large.jpg`, alt: `Preview of ${c.name}` }),
    paired ? actions(c, change) : pairForm(() => void renderDetail(root, id)),
    message,
    h(
      'dl',
      { class: 'metadata' },
      ...row('Taken', c.time?.replace('T', ' ')),
      ...row('Camera', c.camera),
      ...row('Lens', c.lens),
      ...row('Exposure', c.exposure.join(' · ')),
      ...row('Location', c.gps === undefined ? undefined : coordinates(c.gps)),
      ...row('Rating', c.rating === undefined ? undefined : `${c.rating} of 5`),
      ...row('Flag', c.flag),
      ...row('Label', c.label),
      ...row('Keywords', c.keywords.join(', ')),
      ...row('Title', c.title),
      ...row('Caption', c.caption),
      ...row('Card', c.card),
      ...row('Tier', c.tier),
      ...row(
        'Files',
        c.files.map((f) => `${f.path} (${f.format}, ${formatBytes(f.size)})`).join('; '),
      ),
    ),
  );
}

/** A pick's files put back on every SSD: what happened, in a few words. */
function copiesText(copies: PickCopies): string {
  const to = [...new Set(copies.copied.map((c) => c.vault))];
  return [
    to.length > 0 ? ` Copied back to ${to.join(' and ')}.` : '',
    ...copies.failed.map((f) => ` Not copied to ${f.vault}: ${f.path}.`),
    copies.waiting === undefined ? '' : ' The other SSD gets its copy when it is next in use.',
  ].join('');
}
