import type { Clock } from '../core/index.js';

/**
 * At most `limit` hits per key in a sliding window of `windowMs` (a fixed window would allow
 * twice the limit across its edge). Keys are client addresses; the table is bounded.
 */
export class RateLimiter {
  private readonly hits = new Map<string, number[]>();

  constructor(
    private readonly clock: Clock,
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly maxKeys = 4096,
  ) {}

  /** Counts a hit; false when the key is over its limit (the hit is not counted then). */
  take(key: string): boolean {
    const now = this.clock.monotonicMs();
    const recent = (this.hits.get(key) ?? []).filter((t) => t > now - this.windowMs);
    if (recent.length >= this.limit) {
      this.hits.set(key, recent);
      return false;
    }
    recent.push(now);
    this.hits.delete(key);
    if (this.hits.size >= this.maxKeys) {
      const oldest = this.hits.keys().next().value;
      if (oldest !== undefined) this.hits.delete(oldest);
    }
    this.hits.set(key, recent);
    return true;
  }

  /** Seconds until the key may hit again (for Retry-After). */
  retryAfterSeconds(key: string): number {
    const first = this.hits.get(key)?.[0];
    if (first === undefined) return 0;
    return Math.max(1, Math.ceil((first + this.windowMs - this.clock.monotonicMs()) / 1000));
  }
}
