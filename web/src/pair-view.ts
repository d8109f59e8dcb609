import { api } from './api.js';
import { h } from './dom.js';

/** Pairing: the six digits on the box's screen, or the config's password, open a session. */
export function pairForm(onPaired: () => void): HTMLElement {
  const code = h('input', {
    id: 'code',
    name: 'code',
    inputmode: 'numeric',
    autocomplete: 'one-time-code',
    'aria-describedby': 'code-help',
  });
  const password = h('input', {
    id: 'password',
    name: 'password',
    type: 'password',
    autocomplete: 'current-password',
  });
  const error = h('p', { class: 'error', role: 'alert' });
  const form = h(
    'form',
    { class: 'pair', 'aria-labelledby': 'pair-h' },
    h('h2', { id: 'pair-h' }, 'Pair this phone to cull'),
    h('label', { for: 'code' }, 'Code on the box’s screen'),
    code,
    h('p', { id: 'code-help', class: 'help' }, 'Six digits, valid for a few minutes.'),
    h('label', { for: 'password' }, 'Or the password from the box’s config'),
    password,
    h('button', { type: 'submit' }, 'Pair'),
    error,
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const secret =
      code.value.trim() !== '' ? { code: code.value.trim() } : { password: password.value };
    api.pair(secret).then(onPaired, (err: unknown) => {
      error.textContent = err instanceof Error ? err.message : String(err);
    });
  });
  return form;
}
