import { randomInt, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../core/index.js';

/** What the e-ink screen shows for pairing a phone: the code and until when it holds. */
export interface PairingCode {
  readonly code: string;
  readonly expiresAt: number;
}

/**
 * The pairing code a phone types to get a session: six digits, shown on the box's e-ink screen
 * (the appliance subscribes with `onChange`). A code is used once, expires after `lifetimeMs`,
 * and is replaced after `maxAttempts` wrong tries, so guessing it means a million tries against
 * a rate limit and a moving target.
 */
export class PairingCodes {
  private current: PairingCode;
  private wrong = 0;
  private readonly listeners = new Set<(code: PairingCode) => void>();

  constructor(
    private readonly clock: Clock,
    private readonly lifetimeMs = 10 * 60_000,
    private readonly maxAttempts = 5,
  ) {
    this.current = this.fresh();
  }

  /** The code to show now (a new one once the last expired). */
  code(): PairingCode {
    if (this.clock.now().getTime() >= this.current.expiresAt) this.rotate();
    return this.current;
  }

  /** Calls `listener` with every new code; returns the unsubscribe function. */
  onChange(listener: (code: PairingCode) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** True when `attempt` is the current code; the code is then used up. */
  redeem(attempt: string): boolean {
    const expected = Buffer.from(this.code().code);
    const given = Buffer.from(attempt.trim());
    const ok = given.length === expected.length && timingSafeEqual(given, expected);
    if (ok || ++this.wrong >= this.maxAttempts) this.rotate();
    return ok;
  }

  private fresh(): PairingCode {
    return {
      code: String(randomInt(0, 1_000_000)).padStart(6, '0'),
      expiresAt: this.clock.now().getTime() + this.lifetimeMs,
    };
  }

  private rotate(): void {
    this.current = this.fresh();
    this.wrong = 0;
    for (const listener of this.listeners) listener(this.current);
  }
}

/**
 * Keeps a screen showing the current code: now, on every new code, and by looking every
 * `everyMs` so that an expired code is replaced before a visitor types it. Returns stop.
 */
export function showPairingCodes(
  codes: PairingCodes,
  show: (code: PairingCode) => void,
  everyMs = 60_000,
): () => void {
  show(codes.code());
  const off = codes.onChange(show);
  const timer = setInterval(() => codes.code(), everyMs);
  timer.unref();
  return () => {
    off();
    clearInterval(timer);
  };
}
