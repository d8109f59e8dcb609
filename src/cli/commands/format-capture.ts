import type { CaptureRecord } from '../../catalog/index.js';

const pad = (n: number): string => String(n).padStart(2, '0');

/** "2026-11-20 06:12:01 +03:00" from a wall-clock time and its offset. */
export function formatWallClock(ms: number | undefined, offsetMinutes: number | undefined): string {
  if (ms === undefined) return 'no date            ';
  const d = new Date(ms);
  const base = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  if (offsetMinutes === undefined) return base;
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return `${base} ${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** Two lines per capture: when, camera, rating, label, title; then its files and tier. */
export function captureLines(c: CaptureRecord): string {
  const m = c.metadata;
  const stars =
    m.rating === undefined
      ? ''
      : m.rating < 0
        ? 'rejected'
        : '★'.repeat(m.rating) + '☆'.repeat(Math.max(0, 5 - m.rating));
  const head = [
    formatWallClock(m.captureTime, m.offsetMinutes),
    m.model ?? m.make ?? 'unknown camera',
    stars,
    m.label ?? '',
    m.title === undefined ? '' : `"${m.title}"`,
  ].filter((s) => s !== '');
  const tiers = [...new Set(c.files.map((f) => f.tier))].join(',');
  const problems = c.files
    .filter((f) => f.status === 'unreadable')
    .map(
      (f) =>
        `${f.relPath.slice(f.relPath.lastIndexOf('/') + 1)}: metadata unreadable (${f.reason ?? 'unknown reason'})`,
    );
  const files = c.files.map((f) => f.relPath).join(', ');
  return [
    `${head.join('  ')}`,
    `    ${c.sourceName}: ${files}  [${tiers}]`,
    ...problems.map((p) => `    ${p}`),
  ].join('\n');
}

/** The JSON form of a capture for --json output. */
export function captureJson(c: CaptureRecord): Record<string, unknown> {
  return {
    event: 'capture',
    captureId: c.captureId,
    source: { id: c.sourceId, name: c.sourceName },
    metadata: c.metadata,
    files: c.files,
    facets: c.facets,
  };
}
