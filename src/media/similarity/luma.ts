/** A small single-channel image, row-major. */
export interface Plane {
  readonly width: number;
  readonly height: number;
  readonly data: Float32Array;
}

/** sRGB-encoded 8-bit value → linear light (IEC 61966-2-1). */
export const SRGB_TO_LINEAR: Float32Array = Float32Array.from({ length: 256 }, (_, i) => {
  const c = i / 255;
  return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
});

export function planeOf(width: number, height: number, grey: Uint8Array | Buffer): Plane {
  return { width, height, data: Float32Array.from(grey) };
}

/**
 * Area-averaged resampling to a fixed grid (aspect not kept: frames of one stack share it).
 * Each output cell is the mean of the input pixels it covers, with fractional edges, so a
 * small shift of the input moves the output smoothly instead of jumping by a pixel.
 */
export function resample(src: Plane, width: number, height: number): Plane {
  const out = new Float32Array(width * height);
  const sx = src.width / width;
  const sy = src.height / height;
  for (let oy = 0; oy < height; oy++) {
    const y0 = oy * sy;
    const y1 = y0 + sy;
    for (let ox = 0; ox < width; ox++) {
      const x0 = ox * sx;
      const x1 = x0 + sx;
      let sum = 0;
      let area = 0;
      for (let y = Math.floor(y0); y < Math.min(src.height, Math.ceil(y1)); y++) {
        const wy = Math.min(y + 1, y1) - Math.max(y, y0);
        for (let x = Math.floor(x0); x < Math.min(src.width, Math.ceil(x1)); x++) {
          const wx = Math.min(x + 1, x1) - Math.max(x, x0);
          const w = wx * wy;
          sum += (src.data[y * src.width + x] as number) * w;
          area += w;
        }
      }
      out[oy * width + ox] = area > 0 ? sum / area : 0;
    }
  }
  return { width, height, data: out };
}

/**
 * Replaces each value by its rank (ties share their mean rank), scaled to 0…1: any monotonic
 * tone change (an exposure step, a contrast curve) leaves the result unchanged, except where
 * it clips a region to one value. This is what lets brackets compare as one scene.
 */
export function equalize(p: Plane): Plane {
  const n = p.data.length;
  const order = Array.from({ length: n }, (_, i) => i).sort(
    (a, b) => (p.data[a] as number) - (p.data[b] as number),
  );
  const out = new Float32Array(n);
  for (let i = 0; i < n;) {
    let j = i;
    const v = p.data[order[i] as number] as number;
    while (j + 1 < n && p.data[order[j + 1] as number] === v) j++;
    const rank = (i + j) / 2 / Math.max(1, n - 1);
    for (let k = i; k <= j; k++) out[order[k] as number] = rank;
    i = j + 1;
  }
  return { width: p.width, height: p.height, data: out };
}

/** Zero mean, unit length: a vector whose dot product with another is their correlation. */
export function normalise(p: Plane): Plane {
  const n = p.data.length;
  let mean = 0;
  for (const v of p.data) mean += v;
  mean /= n;
  const out = new Float32Array(n);
  let norm = 0;
  for (let i = 0; i < n; i++) {
    const d = (p.data[i] as number) - mean;
    out[i] = d;
    norm += d * d;
  }
  const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  for (let i = 0; i < n; i++) out[i] = (out[i] as number) * scale;
  return { width: p.width, height: p.height, data: out };
}

/** Linear light of an sRGB-encoded plane (values 0…255). */
export function linearise(p: Plane): Plane {
  return {
    width: p.width,
    height: p.height,
    data: p.data.map((v) => SRGB_TO_LINEAR[Math.max(0, Math.min(255, Math.round(v)))] as number),
  };
}

/**
 * Focus: the energy of the Laplacian over the central 80 % of the frame, relative to the
 * frame's contrast, so a darker or flatter frame of a burst does not look softer. Higher is
 * sharper; only frames of one scene are compared with it.
 */
export function focusScore(p: Plane): number {
  const { width: w, height: h, data } = p;
  const x0 = Math.max(1, Math.floor(w * 0.1));
  const y0 = Math.max(1, Math.floor(h * 0.1));
  const x1 = Math.min(w - 1, Math.ceil(w * 0.9));
  const y1 = Math.min(h - 1, Math.ceil(h * 0.9));
  let energy = 0;
  let sum = 0;
  let sumSq = 0;
  let n = 0;
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const i = y * w + x;
      const c = data[i] as number;
      const lap =
        4 * c -
        (data[i - 1] as number) -
        (data[i + 1] as number) -
        (data[i - w] as number) -
        (data[i + w] as number);
      energy += lap * lap;
      sum += c;
      sumSq += c * c;
      n++;
    }
  }
  if (n === 0) return 0;
  const variance = sumSq / n - (sum / n) ** 2;
  return energy / n / (variance + 1);
}

/** The plane minus its 5×5 box blur: detail between two and ten cells, no layout, no tone. */
export function bandPass(p: Plane): Plane {
  const { width: w, height: h, data } = p;
  const out = new Float32Array(w * h);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      let s = 0;
      let n = 0;
      for (let yy = Math.max(0, y - 2); yy <= Math.min(h - 1, y + 2); yy++)
        for (let xx = Math.max(0, x - 2); xx <= Math.min(w - 1, x + 2); xx++) {
          s += data[yy * w + xx] as number;
          n++;
        }
      out[y * w + x] = (data[y * w + x] as number) - s / n;
    }
  return { width: w, height: h, data: out };
}
