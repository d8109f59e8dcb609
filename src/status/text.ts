import { cardBusy, type BoxStatus } from './model.js';
import { notSafeReasons } from './screen.js';
import { clockText, durationText, plural, sizeText } from './words.js';

/** `fieldbackup status`'s lines about the box itself (the daemon's latest snapshot). */
export function boxStatusLines(s: BoxStatus): string[] {
  const lines = [`Box: ${modeText(s)}`, `  Card: ${cardText(s)}`];
  if (s.lastCard !== undefined && s.card.phase === 'none') {
    const l = s.lastCard;
    lines.push(
      `  Last card: ${l.name}, ${plural(l.files, 'file')}, ${l.safeToFormat ? 'safe to format' : l.interrupted ? 'not finished: keep it' : `${plural(l.notSafe, 'file')} not safe: keep it`} (${clockText(l.at)})`,
    );
  }
  if (s.tether.phase !== 'off') lines.push(`  Camera: ${tetherText(s)}`);
  if (s.sync.phase !== 'off') lines.push(`  NAS: ${syncText(s)}`);
  lines.push(
    `  SSDs: ${s.vaults.map((v) => `${v.label} ${v.present ? 'present' : 'MISSING'}`).join(', ') || 'none found'}`,
  );
  lines.push(`  Power: ${powerText(s)}`);
  for (const p of s.problems) lines.push(`  Problem (${clockText(p.at)}): ${p.message}`);
  return lines;
}

function modeText(s: BoxStatus): string {
  switch (s.mode) {
    case 'starting':
      return 'starting';
    case 'running':
      return 'running';
    case 'shutting-down':
      return `shutting down (${s.shutdownReason ?? 'stop'})`;
    case 'off':
      return `switched off (${s.shutdownReason ?? 'stop'})`;
    case 'stopped':
      return 'stopped';
  }
}

function cardText(s: BoxStatus): string {
  const c = s.card;
  const name = c.name ?? c.device ?? 'card';
  if (c.phase === 'none') return 'none';
  if (c.phase === 'copying' && c.progress !== undefined) {
    const p = c.progress;
    const eta = p.etaSeconds === null ? '' : `, ${durationText(p.etaSeconds)} left`;
    return `${name}: copying${c.tier === undefined ? '' : ` ${c.tier}`}, ${p.files} of ${plural(p.filesTotal, 'file')}, ${sizeText(p.bytes)} of ${sizeText(p.bytesTotal)}${eta}${c.resumed === true ? ' (resumed)' : ''}`;
  }
  if (cardBusy(c.phase)) return `${name}: ${c.phase}`;
  if (c.phase === 'safe') {
    const job = c.job;
    if (job?.safeToFormat === true) return `${name}: safe to format, safe to remove`;
    return `${name}: safe to remove, NOT safe to format (${job === undefined ? 'not every file is copied' : notSafeReasons(job).join('; ')})`;
  }
  const what = {
    pulled: 'pulled before it was done; put it back to finish',
    unreadable: 'unreadable',
    failed: 'NOT backed up',
  }[c.phase];
  return `${name}: ${what}${c.problem === undefined ? '' : ` (${c.problem})`}`;
}

function tetherText(s: BoxStatus): string {
  const t = s.tether;
  if (t.phase === 'idle') return 'none connected';
  const camera = t.camera ?? 'camera';
  return `${camera} ${t.phase}, ${plural(t.shots, 'shot')} secured${t.failed > 0 ? `, ${t.failed} failed` : ''}${t.degraded > 0 ? `, ${t.degraded} short of a copy` : ''}`;
}

function syncText(s: BoxStatus): string {
  const y = s.sync;
  const target = y.target === undefined ? '' : ` ${y.target}`;
  switch (y.phase) {
    case 'syncing':
      return `syncing${target}${y.progress === undefined ? '' : ` ${y.progress.files} of ${y.progress.filesTotal} files`}`;
    case 'synced':
      return `synced${target}${y.lastSyncedAt === undefined ? '' : ` at ${clockText(y.lastSyncedAt)}`}${y.pushed === undefined ? '' : `, ${plural(y.pushed, 'file')} pushed`}`;
    case 'failed':
      return `failed${target}: ${y.problem ?? 'unknown error'}`;
    case 'waiting':
      return `home network${y.ssid === undefined ? '' : ` ${y.ssid}`}, waiting to sync`;
    default:
      return 'not on the home network';
  }
}

function powerText(s: BoxStatus): string {
  const p = s.power;
  if (p.gauge === 'none') return 'no battery gauge';
  if (p.gauge === 'failed') return 'battery gauge not answering';
  const level = p.level === 'ok' ? '' : p.level === 'low' ? ', LOW' : ', CRITICAL';
  return `${p.source === 'mains' ? 'mains' : 'battery'}, ${p.percent === undefined ? '?' : Math.round(p.percent)}%${p.volts === undefined ? '' : ` (${p.volts.toFixed(2)} V)`}${level}`;
}
