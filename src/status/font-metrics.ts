/**
 * Advance widths of DejaVu Sans (regular and bold), in thousandths of the font size, for
 * printable ASCII and · — … –, read from the font's hmtx table: the screen measures its
 * text so that nothing runs off the panel. Other characters count as the widest (1000).
 */
const CHARS = `${Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).join('')}·—…–`;
const REGULAR = [
  318, 401, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838, 318, 361, 318, 337, 636, 636, 636,
  636, 636, 636, 636, 636, 636, 636, 337, 337, 838, 838, 838, 531, 1000, 684, 686, 698, 770, 632,
  575, 775, 752, 295, 295, 656, 557, 863, 748, 787, 603, 787, 695, 635, 611, 732, 684, 989, 685,
  611, 685, 390, 337, 390, 838, 500, 500, 613, 635, 550, 635, 615, 352, 635, 634, 278, 278, 579,
  278, 974, 634, 612, 635, 635, 411, 521, 392, 634, 592, 818, 592, 592, 525, 636, 337, 636, 838,
  318, 1000, 1000, 500,
];
const BOLD = [
  348, 456, 521, 838, 696, 1002, 872, 306, 457, 457, 523, 838, 380, 415, 380, 365, 696, 696, 696,
  696, 696, 696, 696, 696, 696, 696, 400, 400, 838, 838, 838, 580, 1000, 774, 762, 734, 830, 683,
  683, 821, 837, 372, 372, 775, 637, 995, 837, 850, 733, 850, 770, 720, 682, 812, 774, 1103, 771,
  724, 725, 457, 365, 457, 838, 500, 500, 675, 716, 593, 716, 678, 435, 716, 712, 343, 343, 665,
  343, 1042, 712, 687, 716, 716, 493, 595, 478, 712, 652, 924, 645, 652, 582, 712, 365, 712, 838,
  380, 1000, 1000, 500,
];

export type Weight = 'regular' | 'bold';

const tables = {
  regular: new Map([...CHARS].map((c, i) => [c, REGULAR[i] ?? 1000])),
  bold: new Map([...CHARS].map((c, i) => [c, BOLD[i] ?? 1000])),
};

/** Width in pixels of `text` at `size` px. */
export function textWidth(text: string, size: number, weight: Weight = 'regular'): number {
  const table = tables[weight];
  let units = 0;
  for (const c of text) units += table.get(c) ?? 1000;
  return (units * size) / 1000;
}

/** `text`, cut with an ellipsis so it is at most `width` px wide. */
export function fitText(
  text: string,
  width: number,
  size: number,
  weight: Weight = 'regular',
): string {
  if (textWidth(text, size, weight) <= width) return text;
  let shown = text;
  while (shown.length > 0 && textWidth(`${shown}…`, size, weight) > width)
    shown = shown.slice(0, -1);
  return `${shown.trimEnd()}…`;
}

/** Breaks `text` into at most `maxLines` lines of at most `width` px, at spaces where it can. */
export function wrapText(
  text: string,
  width: number,
  size: number,
  weight: Weight,
  maxLines: number,
): string[] {
  const lines: string[] = [];
  let rest = text.trim();
  while (rest !== '' && lines.length < maxLines) {
    if (lines.length === maxLines - 1 || textWidth(rest, size, weight) <= width) {
      lines.push(fitText(rest, width, size, weight));
      break;
    }
    let cut = rest.length;
    while (cut > 0 && textWidth(rest.slice(0, cut), size, weight) > width) cut--;
    const space = rest.lastIndexOf(' ', cut);
    const at = space > 0 ? space : Math.max(1, cut);
    lines.push(rest.slice(0, at).trimEnd());
    rest = rest.slice(at).trimStart();
  }
  return lines;
}
