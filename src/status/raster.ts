import sharp from 'sharp';
import type { MonoFrame } from '../hardware/ports/index.js';
import type { BoxStatus } from './model.js';
import { frameSvg, SCREEN_HEIGHT, SCREEN_WIDTH } from './frame-svg.js';
import { screenModel } from './screen.js';

/** Below this grey level (0–255) a pixel is black: keeps anti-aliased text strokes solid. */
const THRESHOLD = 160;

/** Rasterizes an SVG to a 1-bit frame of its own size (sharp/librsvg, then a fixed threshold). */
export async function rasterize(svg: string): Promise<MonoFrame> {
  const { data, info } = await sharp(Buffer.from(svg))
    .flatten({ background: '#ffffff' })
    .greyscale()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const black = new Uint8Array(info.width * info.height);
  for (let i = 0; i < black.length; i++)
    black[i] = (data[i * info.channels] ?? 255) < THRESHOLD ? 1 : 0;
  return { width: info.width, height: info.height, black };
}

/** The e-ink frame for a status. */
export function renderFrame(status: BoxStatus): Promise<MonoFrame> {
  return rasterize(frameSvg(screenModel(status)));
}

/** A frame as a PNG (black and white), for files, the README and the simulator. */
export function framePng(frame: MonoFrame): Promise<Buffer> {
  const grey = Buffer.alloc(frame.width * frame.height);
  for (let i = 0; i < grey.length; i++) grey[i] = frame.black[i] === 1 ? 0 : 255;
  return sharp(grey, { raw: { width: frame.width, height: frame.height, channels: 1 } })
    .png({ palette: true, colours: 2 })
    .toBuffer();
}

/** Reads back a PNG written by `framePng` (or any image of that size) as a frame. */
export async function pngFrame(png: Buffer): Promise<MonoFrame> {
  const { data, info } = await sharp(png).greyscale().raw().toBuffer({ resolveWithObject: true });
  const black = new Uint8Array(info.width * info.height);
  for (let i = 0; i < black.length; i++) black[i] = (data[i * info.channels] ?? 255) < 128 ? 1 : 0;
  return { width: info.width, height: info.height, black };
}

export function sameFrame(a: MonoFrame | undefined, b: MonoFrame | undefined): boolean {
  if (a === undefined || b === undefined) return false;
  if (a.width !== b.width || a.height !== b.height) return false;
  return Buffer.from(a.black).equals(Buffer.from(b.black));
}

export { SCREEN_HEIGHT, SCREEN_WIDTH };
