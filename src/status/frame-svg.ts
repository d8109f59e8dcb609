import { fitText, textWidth, wrapText, type Weight } from './font-metrics.js';
import type { Mark, ProgressBar, ScreenModel } from './screen.js';

export const SCREEN_WIDTH = 250;
export const SCREEN_HEIGHT = 122;

const FONT = `font-family="DejaVu Sans, sans-serif"`;
const MARGIN = 4;
const LINE_WIDTH = SCREEN_WIDTH - 2 * MARGIN;

const escape = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Text cut with an ellipsis where it would run past `width` (measured with the font's metrics). */
function text(
  x: number,
  y: number,
  size: number,
  value: string,
  width: number,
  weight: Weight = 'regular',
): string {
  const bold = weight === 'bold' ? ' font-weight="bold"' : '';
  return `<text x="${x}" y="${y}" font-size="${size}"${bold} ${FONT}>${escape(fitText(value, width, size, weight))}</text>`;
}

/** A tick drawn as a path (crisp at 1 bit, independent of fonts). */
function tick(x: number, y: number, s: number): string {
  return `<path d="M${x} ${y + s * 0.55} L${x + s * 0.38} ${y + s} L${x + s} ${y}" fill="none" stroke="black" stroke-width="${Math.max(2, s / 6)}"/>`;
}

function cross(x: number, y: number, s: number): string {
  return `<path d="M${x} ${y} L${x + s} ${y + s} M${x + s} ${y} L${x} ${y + s}" stroke="black" stroke-width="${Math.max(2, s / 4)}"/>`;
}

function mark(m: Mark | undefined): string {
  switch (m) {
    case 'double-check':
      return tick(214, 4, 16) + tick(230, 4, 16);
    case 'check':
      return tick(230, 4, 16);
    case 'cross':
      return cross(230, 5, 14);
    case undefined:
      return '';
  }
}

function bar(b: ProgressBar, y: number): string {
  const x = 66;
  const w = 104;
  const filled = Math.round(w * Math.max(0, Math.min(1, b.fraction)));
  return [
    text(MARGIN, y + 10, 12, b.label, 60),
    `<rect x="${x}" y="${y + 1}" width="${w}" height="10" fill="white" stroke="black" stroke-width="1"/>`,
    `<rect x="${x}" y="${y + 1}" width="${filled}" height="10" fill="black"/>`,
    text(174, y + 10, 12, b.text, b.done ? 58 : 72, 'bold'),
    b.done ? tick(236, y + 1, 10) : '',
  ].join('');
}

/** The battery at the right of the footer; returns the SVG and where it starts. */
function battery(b: NonNullable<ScreenModel['footer']['battery']>): { svg: string; left: number } {
  const x = 222;
  const y = 106;
  const w = 22;
  const h = 11;
  const filled = Math.round(((w - 4) * Math.max(0, Math.min(100, b.percent))) / 100);
  const label = `${b.charging ? 'AC ' : ''}${b.percent}%`;
  const weight: Weight = b.low ? 'bold' : 'regular';
  const left = x - 4 - textWidth(label, 12, weight);
  const svg = [
    text(left, 116, 12, label, 60, weight),
    `<rect x="${x}" y="${y}" width="${w}" height="${h}" fill="white" stroke="black" stroke-width="1.5"/>`,
    `<rect x="${x + w}" y="${y + 3}" width="3" height="${h - 6}" fill="black"/>`,
    `<rect x="${x + 2}" y="${y + 2}" width="${filled}" height="${h - 4}" fill="black"/>`,
  ].join('');
  return { svg, left };
}

function footer(f: ScreenModel['footer']): string {
  const parts: string[] = [];
  const power = f.battery === undefined ? undefined : battery(f.battery);
  const right = power?.left ?? SCREEN_WIDTH;
  let x = MARGIN;
  for (const v of f.vaults.slice(0, 3)) {
    const label = fitText(v.label, 56, 12);
    parts.push(text(x, 116, 12, label, 56));
    const end = x + textWidth(label, 12) + 2;
    parts.push(v.present ? tick(end, 106, 9) : cross(end, 107, 8));
    x = end + 15;
  }
  if (f.sync !== undefined && right - x > 30) parts.push(text(x, 116, 12, f.sync, right - x - 6));
  if (power !== undefined) parts.push(power.svg);
  return parts.join('');
}

function lines(model: ScreenModel): string[] {
  const out: string[] = [];
  const [first, ...rest] = model.lines;
  if (model.bars.length > 0) {
    out.push(text(MARGIN, 44, 14, first ?? '', LINE_WIDTH, 'bold'));
    model.bars.forEach((b, i) => out.push(bar(b, 50 + i * 15)));
    const y = 50 + model.bars.length * 15 + 12;
    if (y <= 96 && rest[0] !== undefined) out.push(text(MARGIN, y, 13, rest[0], LINE_WIDTH));
    return out;
  }
  if (first !== undefined) out.push(text(MARGIN, 46, 15, first, LINE_WIDTH, 'bold'));
  // Later lines wrap onto the two rows left (an error message gets both if it needs them).
  const rows: string[] = [];
  rest.forEach((line, i) => {
    const free = 2 - rows.length - (rest.length - 1 - i);
    rows.push(...wrapText(line, LINE_WIDTH, 14, 'regular', Math.max(1, free)));
  });
  rows.slice(0, 2).forEach((row, i) => out.push(text(MARGIN, 65 + i * 19, 14, row, LINE_WIDTH)));
  return out;
}

/**
 * The screen as SVG, 250 × 122: headline (bold, with ✓✓ or ✗ at the right), the card's name
 * and per-tier bars with progress, or up to three lines, and a footer with the SSDs, the NAS
 * and the battery. Black on white only: it is thresholded to 1 bit.
 */
export function frameSvg(model: ScreenModel): string {
  const headlineWidth = model.mark === undefined ? LINE_WIDTH : 206;
  const body = [
    text(MARGIN, 21, 20, model.headline, headlineWidth, 'bold'),
    mark(model.mark),
    `<rect x="0" y="26" width="${SCREEN_WIDTH}" height="2" fill="black"/>`,
    ...lines(model),
    `<rect x="0" y="101" width="${SCREEN_WIDTH}" height="1" fill="black"/>`,
    footer(model.footer),
  ];
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${SCREEN_WIDTH}" height="${SCREEN_HEIGHT}" viewBox="0 0 ${SCREEN_WIDTH} ${SCREEN_HEIGHT}"><rect width="100%" height="100%" fill="white"/>${body.join('')}</svg>`;
}
