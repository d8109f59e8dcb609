import type { JobStatus } from '../core/index.js';
import { cardBusy, type BoxStatus, type CardView, type LastCard } from './model.js';
import { durationText, plural, sizeText } from './words.js';

/** ✓✓: every copy verified; ✓: one copy; ✗: not safe / error. */
export type Mark = 'double-check' | 'check' | 'cross';

export interface ProgressBar {
  readonly label: string;
  readonly fraction: number;
  readonly text: string;
  /** Every file of the tier is secured. */
  readonly done: boolean;
}

/** What the e-ink screen says, before it is drawn. */
export interface ScreenModel {
  readonly headline: string;
  readonly mark?: Mark;
  /** Up to three lines under the headline (fewer when there are bars). */
  readonly lines: readonly string[];
  readonly bars: readonly ProgressBar[];
  readonly footer: {
    /** "A✓ B✓", one mark per vault. */
    readonly vaults: readonly { readonly label: string; readonly present: boolean }[];
    readonly sync?: string;
    readonly battery?: {
      readonly percent: number;
      readonly charging: boolean;
      readonly low: boolean;
    };
  };
}

const MAX_BARS = 3;

/** The words on the screen for a status: state, card, progress per tier, verdict, problems. */
export function screenModel(s: BoxStatus): ScreenModel {
  const body = bodyOf(s);
  const footer = {
    vaults: s.vaults.map((v) => ({ label: v.label, present: v.present })),
    ...(syncText(s) === undefined ? {} : { sync: syncText(s) }),
    ...(s.power.percent === undefined
      ? {}
      : {
          battery: {
            percent: Math.round(s.power.percent),
            charging: s.power.source === 'mains',
            low: s.power.level !== 'ok',
          },
        }),
  };
  return { bars: [], ...body, footer };
}

type Body = Omit<ScreenModel, 'footer' | 'bars'> & { readonly bars?: readonly ProgressBar[] };

function bodyOf(s: BoxStatus): Body {
  if (s.mode === 'starting') return { headline: 'STARTING', lines: ['Looking for SSDs and cards'] };
  if (s.mode === 'shutting-down') {
    return {
      headline: s.shutdownReason === 'battery' ? 'BATTERY LOW' : 'SHUTTING DOWN',
      lines: ['Shutting down safely…', 'Finishing the file in progress', cardSummary(s.card)],
    };
  }
  if (s.mode === 'off' || s.mode === 'stopped') return finalBody(s);
  const card = s.card;
  if (card.phase !== 'none') return cardBody(s, card);
  if (s.tether.phase === 'connected' || s.tether.phase === 'reconnecting') return tetherBody(s);
  return readyBody(s);
}

function finalBody(s: BoxStatus): Body {
  const headline =
    s.mode === 'stopped'
      ? 'STOPPED'
      : s.shutdownReason === 'battery'
        ? 'BATTERY LOW'
        : 'SWITCHED OFF';
  return {
    headline,
    ...verdictMark(s.lastCard),
    lines: [
      s.mode === 'stopped' ? 'FieldBackup stopped.' : 'Shut down safely.',
      ...lastCardLines(s.lastCard),
    ],
  };
}

function verdictMark(last: LastCard | undefined): { mark?: Mark } {
  if (last === undefined) return {};
  return { mark: last.safeToFormat ? 'double-check' : 'cross' };
}

function lastCardLines(last: LastCard | undefined): string[] {
  if (last === undefined) return [];
  if (last.safeToFormat)
    return [
      `${last.name}: safe to format`,
      `${plural(last.files, 'file')}, ${sizeText(last.bytes)}`,
    ];
  const why = last.interrupted ? 'not finished' : `${plural(last.notSafe, 'file')} not safe`;
  return [`${last.name}: KEEP THE CARD`, why];
}

function readyBody(s: BoxStatus): Body {
  const problem = s.problems[0]?.message;
  const present = s.vaults.filter((v) => v.present).length;
  const lines = [
    present === 0 ? 'Connect the SSDs' : 'Insert a card',
    ...(s.pairing === undefined ? [] : [pairingLine(s.pairing.code)]),
    ...(s.lastCard === undefined ? [] : [`Last: ${lastCardLines(s.lastCard).join(' · ')}`]),
    ...(problem === undefined ? [] : [problem]),
  ];
  return { headline: 'READY', lines: lines.slice(0, 3) };
}

function tetherBody(s: BoxStatus): Body {
  const t = s.tether;
  const shots = `${plural(t.shots, 'shot')} secured${t.failed > 0 ? `, ${t.failed} failed` : ''}`;
  return {
    headline: t.phase === 'connected' ? 'TETHERED' : 'CAMERA LOST',
    ...(t.failed > 0
      ? { mark: 'cross' as const }
      : t.shots > 0
        ? { mark: 'double-check' as const }
        : {}),
    lines: [
      t.camera ?? 'Camera',
      shots,
      t.phase === 'reconnecting'
        ? 'Waiting for it to come back'
        : (t.lastShot ?? 'Waiting for shots'),
    ],
  };
}

function cardBody(s: BoxStatus, card: CardView): Body {
  const name = `${card.name ?? card.device ?? 'Card'}${card.resumed === true ? ' (resumed)' : ''}`;
  switch (card.phase) {
    case 'detected':
    case 'mounting':
    case 'scanning':
      return {
        headline: 'READING CARD',
        lines: [name, card.phase === 'scanning' ? 'Listing files…' : 'Mounting read-only…'],
      };
    case 'copying':
    case 'verifying':
    case 'unmounting':
      return {
        headline: card.phase === 'copying' ? 'COPYING' : 'CHECKING',
        lines: [name, progressLine(card)],
        bars: card.job === undefined ? [] : tierBars(card.job),
      };
    case 'safe':
      return safeBody(s, card, name);
    case 'pulled':
      return {
        headline: 'CARD PULLED',
        mark: 'cross',
        lines: [name, cardSummary(card), 'Put it back to finish'],
      };
    case 'failed':
      return {
        headline: 'NOT BACKED UP',
        mark: 'cross',
        lines: [name, card.problem ?? 'The box could not back it up'],
      };
    case 'unreadable':
      return {
        headline: 'CARD UNREADABLE',
        mark: 'cross',
        lines: [name, card.problem ?? 'It cannot be read'],
      };
    case 'none':
      return readyBody(s);
  }
}

function safeBody(s: BoxStatus, card: CardView, name: string): Body {
  const job = card.job;
  if (job === undefined || !job.safeToFormat) {
    return {
      headline: 'KEEP THE CARD',
      mark: 'cross',
      lines: [
        name,
        ...(job === undefined ? ['Not every file is copied'] : notSafeReasons(job)),
        'Card can be removed',
      ].slice(0, 3),
    };
  }
  const files = job.tiers.reduce((n, t) => n + t.total.files, 0);
  const bytes = job.tiers.reduce((n, t) => n + t.total.bytes, 0);
  const copies = new Set(job.tiers.map((t) => t.copiesRequired));
  const each =
    copies.size === 1
      ? `${plural([...copies][0] ?? 0, 'copy', 'copies')} each`
      : 'all copies verified';
  return {
    headline: 'SAFE TO FORMAT',
    mark: 'double-check',
    lines: [
      name,
      `${plural(files, 'file')}, ${sizeText(bytes)}: ${each}`,
      'Safe to remove the card',
    ],
  };
}

/** Why a card is not safe to format, in words, most serious first. */
export function notSafeReasons(job: JobStatus): string[] {
  const failed = job.notCopied.filter((f) => f.state === 'failed').length;
  const waiting = job.notCopied.length - failed;
  const single = job.short.filter((f) => f.on.length === 1).length;
  const fewer = job.short.length - single;
  const pending = job.tiers.reduce((n, t) => n + t.pending.files, 0);
  const reasons = [
    failed > 0 ? `${plural(failed, 'file')} failed` : '',
    single > 0 ? `${plural(single, 'file')} on one copy only` : '',
    fewer > 0 ? `${plural(fewer, 'file')} short of a copy` : '',
    waiting > 0 ? `${plural(waiting, 'file')} wait for space` : '',
    pending > 0 ? `${plural(pending, 'file')} not copied yet` : '',
  ].filter((r) => r !== '');
  return reasons.length > 0 ? [reasons.join(', ')] : ['Not every file is copied'];
}

function progressLine(card: CardView): string {
  const p = card.progress;
  if (p === undefined) return 'Starting…';
  const eta =
    p.etaSeconds === null || card.phase !== 'copying'
      ? ''
      : ` · ${durationText(p.etaSeconds)} left`;
  return `${sizeText(p.bytes)} of ${sizeText(p.bytesTotal)}${eta}`;
}

function tierBars(job: JobStatus): ProgressBar[] {
  return job.tiers.slice(0, MAX_BARS).map((t) => {
    const done = t.copied.files + t.short.files + t.notCopied.files;
    return {
      label: t.tier,
      fraction:
        t.total.bytes === 0
          ? t.total.files === 0
            ? 1
            : done / t.total.files
          : Math.min(1, (t.total.bytes - t.pending.bytes) / t.total.bytes),
      text: `${done}/${t.total.files}`,
      done: t.pending.files === 0 && t.short.files === 0 && t.notCopied.files === 0,
    };
  });
}

function cardSummary(card: CardView): string {
  const job = card.job;
  if (job === undefined)
    return card.progress === undefined
      ? ''
      : `${card.progress.files} of ${plural(card.progress.filesTotal, 'file')} copied`;
  const total = job.tiers.reduce((n, t) => n + t.total.files, 0);
  const copied = job.tiers.reduce((n, t) => n + t.copied.files + t.short.files, 0);
  return `${copied} of ${plural(total, 'file')} copied`;
}

function syncText(s: BoxStatus): string | undefined {
  const sync = s.sync;
  switch (sync.phase) {
    case 'off':
    case 'offline':
      return undefined;
    case 'waiting':
      return 'NAS: waiting';
    case 'syncing': {
      const p = sync.progress;
      return p === undefined || p.filesTotal === 0
        ? 'NAS: syncing'
        : `NAS ${Math.floor((p.files / p.filesTotal) * 100)}%`;
    }
    case 'synced':
      return 'NAS synced';
    case 'failed':
      return 'NAS failed';
  }
}

/** Whether nothing on the screen is expected to change soon (a final or resting frame). */
export function isResting(s: BoxStatus): boolean {
  if (s.mode !== 'running') return s.mode !== 'shutting-down';
  return !cardBusy(s.card.phase) && s.sync.phase !== 'syncing';
}

/** "Web code 123 456": split in two so it reads at arm's length. */
function pairingLine(code: string): string {
  return `Web code ${code.slice(0, 3)} ${code.slice(3)}`;
}
