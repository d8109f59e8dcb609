import type { LedColor } from '../hardware/ports/index.js';
import { cardBusy, type BoxStatus } from './model.js';

export type LedPattern =
  | { readonly kind: 'off' }
  | { readonly kind: 'on' }
  | { readonly kind: 'blink'; readonly onMs: number; readonly offMs: number };

export type LedPatterns = Readonly<Record<LedColor, LedPattern>>;

export const OFF: LedPattern = { kind: 'off' };
export const ON: LedPattern = { kind: 'on' };
/** Working: 1 Hz. */
export const BLINK: LedPattern = { kind: 'blink', onMs: 500, offMs: 500 };
/** Reading a card / shutting down: 4 Hz. */
export const FAST: LedPattern = { kind: 'blink', onMs: 125, offMs: 125 };
/** Needs attention, not urgent: 0.5 Hz. */
export const SLOW: LedPattern = { kind: 'blink', onMs: 1000, offMs: 1000 };
/** Ready and idle: a short flash every 3 s. */
export const HEARTBEAT: LedPattern = { kind: 'blink', onMs: 100, offMs: 2900 };

/**
 * The LED table (README "LEDs"). Each colour has one meaning:
 * green = the card (blinking: working, keep it in; solid: done, remove it; heartbeat: ready),
 * amber = attention (solid: the card is NOT safe to format; slow: an SSD is missing or the
 * battery is low), red = error (solid: card unreadable or pulled mid-copy, files failed, no
 * SSD at all; fast: shutting down).
 */
export function ledPatterns(s: BoxStatus): LedPatterns {
  if (s.mode === 'off' || s.mode === 'stopped') return { green: OFF, amber: OFF, red: OFF };
  if (s.mode === 'shutting-down') return { green: OFF, amber: OFF, red: FAST };
  if (s.mode === 'starting') return { green: OFF, amber: BLINK, red: OFF };
  return { green: green(s), amber: amber(s), red: red(s) };
}

function green(s: BoxStatus): LedPattern {
  const phase = s.card.phase;
  if (phase === 'detected' || phase === 'mounting' || phase === 'scanning') return FAST;
  if (cardBusy(phase)) return BLINK;
  if (phase === 'safe') return ON;
  if (s.tether.phase === 'connected') return ON;
  if (s.tether.phase === 'reconnecting') return BLINK;
  if (s.sync.phase === 'syncing') return SLOW;
  return HEARTBEAT;
}

function amber(s: BoxStatus): LedPattern {
  const job = s.card.phase === 'safe' ? s.card.job : undefined;
  if (job !== undefined && !job.safeToFormat) return ON;
  if (s.tether.degraded > 0 && s.tether.phase !== 'idle') return ON;
  const vaultMissing = s.vaults.some((v) => !v.present) && s.vaults.some((v) => v.present);
  const powerLow = s.power.source === 'battery' && s.power.level !== 'ok';
  return vaultMissing || powerLow ? SLOW : OFF;
}

function red(s: BoxStatus): LedPattern {
  const phase = s.card.phase;
  if (phase === 'pulled' || phase === 'unreadable' || phase === 'failed') return ON;
  const job = phase === 'safe' ? s.card.job : undefined;
  if (job?.notCopied.some((f) => f.state === 'failed') === true) return ON;
  if (s.tether.failed > 0 && s.tether.phase !== 'idle') return ON;
  if (s.vaults.length > 0 && s.vaults.every((v) => !v.present)) return ON;
  return OFF;
}

export function samePattern(a: LedPattern, b: LedPattern): boolean {
  return (
    a.kind === b.kind &&
    (a.kind !== 'blink' || (b.kind === 'blink' && a.onMs === b.onMs && a.offMs === b.offMs))
  );
}
