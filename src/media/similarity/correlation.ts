import { TONE_GRID } from './features.js';

/** The best match found between two grids: correlation and the shift of b against a. */
export interface Match {
  readonly r: number;
  readonly dx: number;
  readonly dy: number;
}

/**
 * Best Pearson correlation of two square grids (side × side, row-major) over the shifts of b
 * within `radius` cells of (cx, cy), each computed over the overlapping part only. A burst
 * whose framing drifted a few percent matches at the right shift; another framing of the same
 * place matches at none.
 */
export function bestShift(
  a: Float32Array,
  b: Float32Array,
  side: number,
  radius: number,
  cx = 0,
  cy = 0,
): Match {
  let best: Match = { r: -1, dx: cx, dy: cy };
  for (let dy = cy - radius; dy <= cy + radius; dy++)
    for (let dx = cx - radius; dx <= cx + radius; dx++) {
      const r = overlapCorrelation(a, b, side, dx, dy);
      if (r > best.r) best = { r, dx, dy };
    }
  return best;
}

function overlapCorrelation(
  a: Float32Array,
  b: Float32Array,
  side: number,
  dx: number,
  dy: number,
): number {
  const x0 = Math.max(0, -dx);
  const x1 = Math.min(side, side - dx);
  const y0 = Math.max(0, -dy);
  const y1 = Math.min(side, side - dy);
  // Less than a quarter of the frame in common is no evidence of anything.
  if ((x1 - x0) * (y1 - y0) * 4 < side * side) return -1;
  let sa = 0;
  let sb = 0;
  let saa = 0;
  let sbb = 0;
  let sab = 0;
  for (let y = y0; y < y1; y++) {
    const ra = y * side;
    const rb = (y + dy) * side + dx;
    for (let x = x0; x < x1; x++) {
      const va = a[ra + x] as number;
      const vb = b[rb + x] as number;
      sa += va;
      sb += vb;
      saa += va * va;
      sbb += vb * vb;
      sab += va * vb;
    }
  }
  const n = (x1 - x0) * (y1 - y0);
  const cov = sab - (sa * sb) / n;
  const va = saa - (sa * sa) / n;
  const vb = sbb - (sb * sb) / n;
  return va > 0 && vb > 0 ? cov / Math.sqrt(va * vb) : -1;
}

/**
 * The exposure step from a to b in EV (positive: b is brighter), measured on the tone grids
 * where both are neither black nor clipped: the median of log2(b / a), with b shifted by
 * (dx, dy) tone cells. Undefined when too little of the frame is usable (a nearly black or
 * white frame).
 */
export function exposureStep(a: Float32Array, b: Float32Array, dx = 0, dy = 0): number | undefined {
  const ratios: number[] = [];
  for (let y = 0; y < TONE_GRID; y++) {
    const yb = y + dy;
    if (yb < 0 || yb >= TONE_GRID) continue;
    for (let x = 0; x < TONE_GRID; x++) {
      const xb = x + dx;
      if (xb < 0 || xb >= TONE_GRID) continue;
      const va = a[y * TONE_GRID + x] as number;
      const vb = b[yb * TONE_GRID + xb] as number;
      if (va > 0.004 && vb > 0.004 && va < 0.85 && vb < 0.85) ratios.push(Math.log2(vb / va));
    }
  }
  if (ratios.length < 12) return undefined;
  ratios.sort((p, q) => p - q);
  return ratios[Math.floor(ratios.length / 2)];
}
