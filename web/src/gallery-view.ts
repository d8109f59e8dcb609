import { api, type Tile } from './api.js';
import { h, show } from './dom.js';

const stars = (n: number | undefined): string => (n === undefined || n <= 0 ? '' : '★'.repeat(n));

/** What a screen reader says for a tile. */
export function describeTile(t: Tile): string {
  return [
    t.name,
    t.stack === undefined ? '' : `${t.stack.kind} of ${t.stack.count}`,
    t.stackPick === true ? 'best of the stack' : '',
    t.rating === undefined || t.rating === 0 ? '' : `${t.rating} stars`,
    t.flag ?? '',
    t.label === undefined ? '' : `${t.label} label`,
    t.time === undefined ? '' : t.time.replace('T', ' '),
  ]
    .filter((s) => s !== '')
    .join(', ');
}

function tile(t: Tile, fold: boolean): HTMLElement {
  const href =
    fold && t.stack !== undefined && t.stack.count > 1
      ? `#/stack/${encodeURIComponent(t.stack.id)}`
      : `#/capture/${t.id}`;
  return h(
    'li',
    { class: `tile${t.flag === undefined ? '' : ` ${t.flag}`}`, 'data-id': t.id },
    h(
      'a',
      { href, 'aria-label': describeTile(t) },
      h('img', {
        src: `/thumbs/${t.id}/small.jpg`,
        alt: '',
        loading: 'lazy',
        width: 360,
        height: 240,
        decoding: 'async',
      }),
      fold && t.stack !== undefined && t.stack.count > 1
        ? h('span', { class: 'count', 'aria-hidden': 'true' }, `▣ ${t.stack.count}`)
        : null,
      t.stackPick === true ? h('span', { class: 'best', 'aria-hidden': 'true' }, 'Best') : null,
      h(
        'span',
        { class: 'meta', 'aria-hidden': 'true' },
        `${stars(t.rating)}${t.flag === 'pick' ? ' ⚑' : t.flag === 'reject' ? ' ✕' : ''}`,
      ),
      t.label === undefined
        ? null
        : h('span', { class: `label label-${t.label.toLowerCase()}`, 'aria-hidden': 'true' }),
    ),
  );
}

/**
 * The gallery: a filter in the search language, days as headings, tiles loaded a page at a time
 * as the last one scrolls into view (or the "More" button is pressed).
 */
export async function renderGallery(
  root: HTMLElement,
  query: string,
  stackId?: string,
): Promise<void> {
  const fold = stackId === undefined;
  const input = h('input', {
    id: 'q',
    name: 'q',
    type: 'search',
    value: query,
    placeholder: 'rating>=4 stack:burst',
    autocomplete: 'off',
    enterkeyhint: 'search',
    'aria-describedby': 'q-help',
  });
  const form = h(
    'form',
    { role: 'search', class: 'filter' },
    h('label', { for: 'q' }, 'Filter'),
    input,
    h('button', { type: 'submit' }, 'Apply'),
    h(
      'p',
      { id: 'q-help', class: 'help' },
      'Examples: rating>=4, label:red, flag:pick, stack:burst, camera:Z9, date:2026-11-20',
    ),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    location.hash = `#/gallery?q=${encodeURIComponent(input.value)}`;
  });
  const summary = h('p', { class: 'summary', role: 'status' }, 'Loading…');
  const list = h('div', { class: 'days' });
  const more = h('button', { type: 'button', class: 'more', hidden: true }, 'More photos');
  show(
    root,
    h('h1', {}, stackId === undefined ? 'Photos' : 'Stack'),
    stackId === undefined ? form : h('p', {}, h('a', { href: '#/gallery' }, '← All photos')),
    summary,
    list,
    more,
  );
  let next: number | undefined = 0;
  let day = '';
  let grid: HTMLElement | undefined;
  let loading = false;
  const load = async (): Promise<void> => {
    if (next === undefined || loading) return;
    loading = true;
    try {
      const page =
        stackId === undefined ? await api.gallery(query, next) : await api.stack(stackId);
      summary.textContent = `${page.total} ${page.total === 1 ? 'photo' : 'photos'}${stackId === undefined ? '' : ' in this stack'}`;
      for (const t of page.tiles) {
        const d = t.time?.slice(0, 10) ?? 'Undated';
        if (d !== day || grid === undefined) {
          day = d;
          grid = h('ul', { class: 'grid', role: 'list' });
          list.append(h('h2', { class: 'day' }, d), grid);
        }
        grid.append(tile(t, fold));
      }
      next = page.next;
      more.hidden = next === undefined;
    } catch (err) {
      summary.textContent = err instanceof Error ? err.message : String(err);
    } finally {
      loading = false;
    }
  };
  more.addEventListener('click', () => void load());
  new IntersectionObserver(
    (entries) => {
      if (entries.some((e) => e.isIntersecting)) void load();
    },
    { rootMargin: '400px' },
  ).observe(more);
  await load();
}
