import { renderDetail } from './detail-view.js';
import { renderGallery } from './gallery-view.js';
import { renderStatus, watchStatus } from './status-view.js';

const main = document.getElementById('main') as HTMLElement;
let stopWatching: (() => void) | undefined;

/** Hash routes: the box serves one page, so every view is a bookmarkable fragment. */
async function route(): Promise<void> {
  stopWatching?.();
  stopWatching = undefined;
  const [path = '', search = ''] = location.hash.replace(/^#/, '').split('?');
  const params = new URLSearchParams(search);
  const inGallery = /^\/(gallery|stack|capture)/.test(path);
  for (const a of document.querySelectorAll<HTMLAnchorElement>('nav a[data-nav]')) {
    if ((a.dataset['nav'] === 'gallery') === inGallery) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  const capture = /^\/capture\/(\d+)$/.exec(path);
  const stack = /^\/stack\/(.+)$/.exec(path);
  if (capture?.[1] !== undefined) {
    document.title = 'Photo — FieldBackup';
    await renderDetail(main, Number(capture[1]));
  } else if (stack?.[1] !== undefined) {
    document.title = 'Stack — FieldBackup';
    await renderGallery(main, '', decodeURIComponent(stack[1]));
  } else if (path.startsWith('/gallery')) {
    document.title = 'Photos — FieldBackup';
    await renderGallery(main, params.get('q') ?? '');
  } else {
    document.title = 'Status — FieldBackup';
    stopWatching = watchStatus((s) => renderStatus(main, s));
  }
}

window.addEventListener('hashchange', () => {
  void route().then(() => main.focus({ preventScroll: true }));
});
void route();
