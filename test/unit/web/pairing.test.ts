import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { PairingCodes, showPairingCodes } from '../../../src/index.js';
import { RateLimiter } from '../../../src/web/rate-limit.js';
import { Sessions } from '../../../src/web/sessions.js';

/** A clock the test moves. */
function clock(start = Date.UTC(2026, 10, 25, 8, 0, 0)) {
  let now = start;
  return {
    now: () => new Date(now),
    monotonicMs: () => now,
    advance: (ms: number) => void (now += ms),
  };
}

describe('pairing codes', () => {
  it('are six digits, used once, and the screen hears of every new one', () => {
    const c = clock();
    const codes = new PairingCodes(c);
    const shown: string[] = [];
    codes.onChange((p) => shown.push(p.code));
    const first = codes.code().code;
    expect(first).toMatch(/^\d{6}$/);
    expect(codes.redeem(first)).toBe(true);
    expect(shown).toHaveLength(1);
    expect(codes.redeem(first)).toBe(codes.code().code === first);
  });

  it('expire after their lifetime', () => {
    const c = clock();
    const codes = new PairingCodes(c, 60_000);
    const first = codes.code();
    c.advance(60_000);
    expect(codes.code().expiresAt).toBeGreaterThan(first.expiresAt);
    expect(codes.redeem(first.code)).toBe(codes.code().code === first.code);
  });

  it('are replaced after too many wrong tries, so guessing chases a moving target', () => {
    const c = clock();
    const codes = new PairingCodes(c, 600_000, 3);
    const first = codes.code().code;
    const wrong = first === '111111' ? '222222' : '111111';
    expect(codes.redeem(wrong)).toBe(false);
    expect(codes.redeem(wrong)).toBe(false);
    expect(codes.code().code).toBe(first);
    expect(codes.redeem(wrong)).toBe(false);
    expect(codes.code().code === first).toBe(false);
  });
});

describe('sessions', () => {
  it('expire when unused, and use pushes the expiry back', () => {
    const c = clock();
    const sessions = new Sessions(c, 10_000);
    const s = sessions.create();
    expect(s.token).not.toBe(s.csrf);
    expect(s.token.length).toBeGreaterThanOrEqual(43);
    c.advance(9_000);
    expect(sessions.get(s.token)).toBe(s);
    c.advance(9_000);
    expect(sessions.get(s.token)).toBe(s);
    c.advance(10_000);
    expect(sessions.get(s.token)).toBeUndefined();
    expect(sessions.get(undefined)).toBeUndefined();
  });

  it('are bounded: the oldest goes first', () => {
    const sessions = new Sessions(clock(), 60_000);
    const first = sessions.create();
    for (let i = 0; i < 64; i++) sessions.create();
    expect(sessions.get(first.token)).toBeUndefined();
  });

  it('end on logout', () => {
    const sessions = new Sessions(clock(), 60_000);
    const s = sessions.create();
    sessions.end(s.token);
    expect(sessions.get(s.token)).toBeUndefined();
  });
});

describe('rate limiter', () => {
  it('allows the limit in a sliding window, per key, and says when to retry', () => {
    const c = clock();
    const limiter = new RateLimiter(c, 3, 1000);
    expect([1, 2, 3, 4].map(() => limiter.take('a'))).toEqual([true, true, true, false]);
    expect(limiter.take('b')).toBe(true);
    expect(limiter.retryAfterSeconds('a')).toBe(1);
    c.advance(1001);
    expect(limiter.take('a')).toBe(true);
  });

  it('keeps a bounded table of clients', () => {
    const limiter = new RateLimiter(clock(), 1, 1000, 2);
    limiter.take('a');
    limiter.take('b');
    limiter.take('c');
    // 'a' was dropped from the table: it may try again.
    expect(limiter.take('a')).toBe(true);
    expect(limiter.take('c')).toBe(false);
  });
});

describe('the screen’s pairing code', () => {
  it('shows the code at once, every new one, and replaces an expired one before anyone asks', () => {
    vi.useFakeTimers();
    onTestFinished(() => void vi.useRealTimers());
    const c = clock();
    const codes = new PairingCodes(c, 10 * 60_000);
    const shown: string[] = [];
    const stop = showPairingCodes(codes, (p) => shown.push(p.code), 60_000);
    expect(shown).toEqual([codes.code().code]);
    expect(codes.redeem(shown[0]!)).toBe(true);
    expect(shown).toHaveLength(2);
    expect(shown[1]).toBe(codes.code().code);
    c.advance(10 * 60_000);
    vi.advanceTimersByTime(60_000);
    expect(shown).toHaveLength(3);
    expect(shown[2]).toBe(codes.code().code);
    stop();
    c.advance(10 * 60_000);
    vi.advanceTimersByTime(60_000);
    codes.code();
    expect(shown).toHaveLength(3);
  });
});
