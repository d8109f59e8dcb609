import type { MonoFrame } from '../ports/index.js';

/** The 2.13" panel in the controller's own orientation: 122 source lines × 250 gate lines. */
export const NATIVE_WIDTH = 122;
export const NATIVE_HEIGHT = 250;
/** A RAM row is 122 bits padded to 16 bytes. */
export const ROW_BYTES = 16;
export const FRAME_BYTES = ROW_BYTES * NATIVE_HEIGHT;

/**
 * How the landscape frame (250 × 122) lies on the portrait panel: 90 turns it a quarter
 * counter-clockwise (Waveshare's own drivers), 270 clockwise (the HAT mounted the other way).
 */
export type PanelRotation = 90 | 270;

/**
 * Packs a landscape frame into the controller's RAM layout: rows of the native portrait
 * image, most significant bit leftmost, 1 = white (padding bits white too).
 */
export function packFrame(frame: MonoFrame, rotation: PanelRotation): Buffer {
  if (frame.width !== NATIVE_HEIGHT || frame.height !== NATIVE_WIDTH) {
    throw new RangeError(
      `the panel shows ${NATIVE_HEIGHT}×${NATIVE_WIDTH} frames, not ${frame.width}×${frame.height}`,
    );
  }
  const out = Buffer.alloc(FRAME_BYTES, 0xff);
  for (let ny = 0; ny < NATIVE_HEIGHT; ny++) {
    for (let nx = 0; nx < NATIVE_WIDTH; nx++) {
      // Native pixel (nx, ny) shows landscape pixel (x, y).
      const x = rotation === 90 ? NATIVE_HEIGHT - 1 - ny : ny;
      const y = rotation === 90 ? nx : NATIVE_WIDTH - 1 - nx;
      if (frame.black[y * frame.width + x] === 1) {
        const at = ny * ROW_BYTES + (nx >> 3);
        out[at] = (out[at] ?? 0) & ~(0x80 >> (nx & 7));
      }
    }
  }
  return out;
}
