/**
 * A black-and-white frame in the screen's reading orientation (landscape 250 × 122 for the
 * 2.13" panel): one byte per pixel, row-major, 1 = black.
 */
export interface MonoFrame {
  readonly width: number;
  readonly height: number;
  readonly black: Uint8Array;
}

/**
 * `full`: the whole panel flashes and every pixel is driven (clean, slow, wears the panel);
 * `partial`: only pixels that changed are driven (fast, no flash, leaves faint ghosts over time).
 */
export type RefreshMode = 'full' | 'partial';

export interface EinkPanel {
  readonly width: number;
  readonly height: number;
  /** Draws the frame and waits until the panel is done; the image stays without power. */
  show(frame: MonoFrame, mode: RefreshMode): Promise<void>;
  /** Deep sleep until the next `show` (which wakes the panel). */
  sleep(): Promise<void>;
  close(): Promise<void>;
}

export function blankFrame(width: number, height: number): MonoFrame {
  return { width, height, black: new Uint8Array(width * height) };
}
