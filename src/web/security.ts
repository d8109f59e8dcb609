import type { FastifyReply, FastifyRequest } from 'fastify';
import { sameSecret, type Session, type Sessions } from './sessions.js';

export const SESSION_COOKIE = 'fb_session';
export const CSRF_HEADER = 'x-csrf-token';

/** The value of one cookie from the Cookie header (no library: one name, base64url values). */
export function cookieValue(request: FastifyRequest, name: string): string | undefined {
  const header = request.headers.cookie;
  if (header === undefined) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** The session cookie: not readable by scripts, never sent by another site's page. */
export function sessionCookie(token: string, maxAgeSeconds: number): string {
  return `${SESSION_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSeconds}`;
}

export const CLEARED_COOKIE = `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0`;

/** Headers on every response: nothing from elsewhere runs, nothing is framed or sniffed. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy':
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

export type Refusal = { readonly status: 401 | 403; readonly error: string };

/**
 * Who may change something: a live session (cookie), its CSRF token in the header, and, when
 * the browser says where the request comes from, this very origin.
 */
export function authorize(
  request: FastifyRequest,
  sessions: Sessions,
): { session: Session } | Refusal {
  const session = sessions.get(cookieValue(request, SESSION_COOKIE));
  if (session === undefined)
    return { status: 401, error: 'Pair this device first: enter the code shown on the box.' };
  const csrf = request.headers[CSRF_HEADER];
  if (typeof csrf !== 'string' || !sameSecret(csrf, session.csrf))
    return { status: 403, error: 'Missing or wrong CSRF token: reload the page.' };
  const origin = request.headers.origin;
  if (origin !== undefined && origin !== `http://${request.headers.host ?? ''}`)
    return { status: 403, error: 'Request from another site refused.' };
  return { session };
}

export function refuse(reply: FastifyReply, refusal: Refusal): FastifyReply {
  return reply.code(refusal.status).send({ error: refusal.error });
}
