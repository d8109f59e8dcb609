import { request } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { search } from '../../../src/index.js';
import { pair, WEB_PASSWORD, webBox, type WebBox } from '../../helpers/web-box.js';

let box: WebBox;
let url: string;
let pairingCode: () => string;
let firstId: number;

beforeAll(async () => {
  box = await webBox({ captures: 2 });
  await box.ingest();
  const served = await box.serve();
  url = served.url;
  pairingCode = () => served.pairing.code().code;
  firstId = search(box.catalog, '', { limit: 1 }).captures[0]!.docId;
}, 60_000);
afterAll(() => box.close());

const edit = (headers: Record<string, string>, body: unknown = { rating: 4 }): Promise<Response> =>
  fetch(new URL(`/api/captures/${firstId}/edit`, url), {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

describe('web security', () => {
  it('reads status openly but refuses a change without a session', async () => {
    expect((await fetch(new URL('/api/status', url))).status).toBe(200);
    const refused = await edit({});
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as { error: string }).error).toMatch(/pair/i);
  });

  it('refuses a change without the CSRF token, with a wrong one, or from another origin', async () => {
    const { cookie, csrf } = await pair(url, { password: WEB_PASSWORD });
    expect((await edit({ cookie })).status).toBe(403);
    expect((await edit({ cookie, 'x-csrf-token': 'x'.repeat(csrf.length) })).status).toBe(403);
    expect(
      (await edit({ cookie, 'x-csrf-token': csrf, origin: 'http://evil.example' })).status,
    ).toBe(403);
    expect((await edit({ cookie, 'x-csrf-token': csrf })).status).toBe(200);
  });

  it('refuses a forged or expired session cookie', async () => {
    const { csrf } = await pair(url, { password: WEB_PASSWORD });
    expect((await edit({ cookie: 'fb_session=forged', 'x-csrf-token': csrf })).status).toBe(401);
  });

  it('pairs with the code shown on the box once; a wrong code or password is refused', async () => {
    const code = pairingCode();
    await expect(pair(url, { code: code === '000000' ? '000001' : '000000' })).rejects.toThrow(
      /401/,
    );
    await expect(pair(url, { password: 'not the password' })).rejects.toThrow(/401/);
    const current = pairingCode();
    const { cookie, csrf } = await pair(url, { code: current });
    expect((await edit({ cookie, 'x-csrf-token': csrf })).status).toBe(200);
    // Used up: the screen shows a new code.
    expect(pairingCode()).not.toBe(current);
    await expect(pair(url, { code: current })).rejects.toThrow(/401/);
  });

  it.each([
    '/assets/../../package.json',
    '/assets/%2e%2e/%2e%2e/package.json',
    '/%2e%2e/%2e%2e/%2e%2e/etc/passwd',
    '/..%2f..%2f..%2fetc%2fpasswd',
    '/thumbs/..%2f..%2fpackage.json/small.jpg',
    '/thumbs/1/..%2f..%2f..%2fetc%2fpasswd',
    '/thumbs/-1/small.jpg',
    '/api/captures/..%2f..%2fcatalog',
    '/api/captures/1e3',
    '/fieldbackup-vault.json',
    '/.fieldbackup/thumbs',
  ])('answers %s with 404 and nothing of the file', async (path) => {
    // node:http sends the path as written (fetch would normalise the dots away first).
    const { status, text } = await rawGet(url, path);
    expect(status).toBe(404);
    expect(text).not.toMatch(/root:|"dependencies"|fieldbackup-vault/);
  });

  it('refuses a body over the size limit with 413', async () => {
    const { cookie, csrf } = await pair(url, { password: WEB_PASSWORD });
    const response = await edit(
      { cookie, 'x-csrf-token': csrf },
      { rating: 4, pad: 'x'.repeat(10_000) },
    );
    expect(response.status).toBe(413);
  });

  it('refuses an edit that is not one: unknown fields, out of range, wrong types', async () => {
    const { cookie, csrf } = await pair(url, { password: WEB_PASSWORD });
    for (const body of [
      { rating: 9 },
      { label: 'Orange' },
      { flag: 'maybe' },
      {},
      { rating: 2, path: '/etc' },
    ])
      expect((await edit({ cookie, 'x-csrf-token': csrf }, body)).status).toBe(400);
  });

  it('limits the rate of pairing attempts (429 with Retry-After)', async () => {
    const { url } = await box.serve();
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 15; i++) {
      const r = await fetch(new URL('/api/session', url), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ code: 'abc' }),
      });
      statuses.push(r.status);
      if (r.status === 429) retryAfter = r.headers.get('retry-after');
    }
    expect(statuses).toContain(429);
    expect(statuses.indexOf(429)).toBeLessThanOrEqual(10);
    expect(Number(retryAfter)).toBeGreaterThan(0);
  });

  it('shows no secret in any response or log line', async () => {
    const { url, pairing } = await box.serve();
    const code = pairing.code().code;
    await pair(url, { code });
    const bodies = await Promise.all(
      ['/api/status', '/api/session', '/api/captures', `/api/captures/${firstId}`, '/'].map(
        async (p) => (await fetch(new URL(p, url))).text(),
      ),
    );
    for (const body of bodies) {
      expect(body).not.toContain(WEB_PASSWORD);
      expect(body).not.toContain(code);
    }
    const session = await fetch(new URL('/api/session', url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ password: WEB_PASSWORD }),
    });
    const token = (session.headers.get('set-cookie') ?? '').split(';')[0]!.split('=')[1]!;
    expect(token.length).toBeGreaterThan(30);
    const log = box.logs.join('\n');
    expect(box.logs.length).toBeGreaterThan(10);
    for (const secret of [WEB_PASSWORD, token, code]) expect(log).not.toContain(secret);
  });

  it('sets headers that keep other sites and scripts out', async () => {
    const { url } = await box.serve();
    const r = await fetch(new URL('/', url));
    expect(r.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(r.headers.get('x-frame-options')).toBe('DENY');
    const s = await fetch(new URL('/api/session', url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ password: WEB_PASSWORD }),
    });
    expect(s.headers.get('set-cookie')).toMatch(/HttpOnly; SameSite=Strict/);
  });

  it('listens only on the configured address', async () => {
    const port = Number(new URL(url).port);
    const reach = (host: string): Promise<boolean> =>
      new Promise((done) => {
        const socket = connect({ host, port }, () => {
          socket.destroy();
          done(true);
        });
        socket.on('error', () => done(false));
      });
    expect(await reach('127.0.0.1')).toBe(true);
    // The rest of the loopback net and IPv6 loopback are other interfaces' addresses here.
    expect(await reach('127.0.0.2')).toBe(false);
  });
});

function rawGet(url: string, path: string): Promise<{ status: number; text: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((done, fail) => {
    const req = request({ host: hostname, port, path, method: 'GET' }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => done({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', fail);
    req.end();
  });
}
