import type { Plane } from './luma.js';

/** A perceptual hash: 64 bits as two unsigned 32-bit words. */
export type Hash64 = readonly [number, number];

const N = 32;
const LOW = 8;
/** cos((2x + 1) u π / 2N) for the 32-point DCT-II, [u][x]. */
const COS: Float64Array = (() => {
  const t = new Float64Array(N * N);
  for (let u = 0; u < N; u++)
    for (let x = 0; x < N; x++) t[u * N + x] = Math.cos(((2 * x + 1) * u * Math.PI) / (2 * N));
  return t;
})();

/**
 * DCT pHash of a 32×32 plane: the 8×8 lowest frequencies of its 2-D DCT-II, each bit set when
 * the coefficient is above their median (the DC term left out). Low frequencies are the
 * layout of the scene; shifts of a few percent, noise and blur barely move them.
 */
export function pHash(p: Plane): Hash64 {
  if (p.width !== N || p.height !== N) throw new Error(`pHash needs a ${N}×${N} plane`);
  // Rows first, only the LOW lowest frequencies are kept in each pass.
  const rows = new Float64Array(N * LOW);
  for (let y = 0; y < N; y++)
    for (let u = 0; u < LOW; u++) {
      let s = 0;
      for (let x = 0; x < N; x++) s += (p.data[y * N + x] as number) * (COS[u * N + x] as number);
      rows[y * LOW + u] = s;
    }
  const coeffs: number[] = [];
  for (let v = 0; v < LOW; v++)
    for (let u = 0; u < LOW; u++) {
      let s = 0;
      for (let y = 0; y < N; y++) s += (rows[y * LOW + u] as number) * (COS[v * N + y] as number);
      coeffs.push(s);
    }
  const ac = coeffs.slice(1);
  const median = [...ac].sort((a, b) => a - b)[Math.floor(ac.length / 2)] as number;
  return bitsOf(coeffs.map((c, i) => i > 0 && c > median));
}

/**
 * Gradient dHash of a 9×8 plane: a bit per horizontally adjacent pair, set when the right one
 * is brighter. Computed on the equalised plane it ignores exposure.
 */
export function dHash(p: Plane): Hash64 {
  if (p.width !== 9 || p.height !== 8) throw new Error('dHash needs a 9×8 plane');
  const bits: boolean[] = [];
  for (let y = 0; y < 8; y++)
    for (let x = 0; x < 8; x++)
      bits.push((p.data[y * 9 + x + 1] as number) > (p.data[y * 9 + x] as number));
  return bitsOf(bits);
}

/** Bits that differ between two hashes (0 = same, 64 = opposite). */
export function hamming(a: Hash64, b: Hash64): number {
  return popcount((a[0] ^ b[0]) >>> 0) + popcount((a[1] ^ b[1]) >>> 0);
}

function popcount(v: number): number {
  let x = v - ((v >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

function bitsOf(bits: readonly boolean[]): Hash64 {
  let hi = 0;
  let lo = 0;
  for (let i = 0; i < 64; i++) {
    if (bits[i] !== true) continue;
    if (i < 32) hi |= 1 << i;
    else lo |= 1 << (i - 32);
  }
  return [hi >>> 0, lo >>> 0];
}

/** Hex form of a hash, for storing and printing. */
export function hashHex(h: Hash64): string {
  return h.map((w) => w.toString(16).padStart(8, '0')).join('');
}
