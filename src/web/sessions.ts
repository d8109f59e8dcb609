import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../core/index.js';

/** A paired phone: the cookie's token and the CSRF token its page sends with every change. */
export interface Session {
  readonly token: string;
  readonly csrf: string;
  expiresAt: number;
}

const MAX_SESSIONS = 64;

/**
 * Sessions in memory (a restart asks phones to pair again, which is what a stolen cookie
 * should cost too). Tokens are 256 random bits; a session expires after `idleMs` unused.
 */
export class Sessions {
  private readonly byToken = new Map<string, Session>();

  constructor(
    private readonly clock: Clock,
    private readonly idleMs: number,
  ) {}

  create(): Session {
    const now = this.clock.now().getTime();
    for (const [token, s] of this.byToken) if (s.expiresAt <= now) this.byToken.delete(token);
    // Oldest first out: pairing many phones never grows memory without bound.
    while (this.byToken.size >= MAX_SESSIONS) {
      const oldest = this.byToken.keys().next().value;
      if (oldest === undefined) break;
      this.byToken.delete(oldest);
    }
    const session: Session = {
      token: randomBytes(32).toString('base64url'),
      csrf: randomBytes(32).toString('base64url'),
      expiresAt: now + this.idleMs,
    };
    this.byToken.set(session.token, session);
    return session;
  }

  /** The live session of a cookie token, its expiry pushed back; undefined otherwise. */
  get(token: string | undefined): Session | undefined {
    if (token === undefined) return undefined;
    const session = this.byToken.get(token);
    const now = this.clock.now().getTime();
    if (session === undefined) return undefined;
    if (session.expiresAt <= now) {
      this.byToken.delete(token);
      return undefined;
    }
    session.expiresAt = now + this.idleMs;
    return session;
  }

  end(token: string): void {
    this.byToken.delete(token);
  }
}

/** Constant-time comparison of two secrets given as strings. */
export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
