import { planeOf, type Plane } from './luma.js';

/** Longest side the luminance is decoded at: enough for focus, small enough to be quick. */
export const DECODE_SIDE = 256;

/**
 * Decodes an image (JPEG, HEIF, TIFF, PNG, WebP: whatever sharp reads) to its luminance, the
 * longest side at most DECODE_SIDE. JPEGs are shrunk while decoding (libjpeg's DCT scaling),
 * so a 24 MP JPEG costs about as much as its 1/8 size. A truncated file still decodes as far
 * as it goes (cards do hold cut-off files). libvips is loaded on the first decode, not with
 * the config schema that names the similarity profiles (a sync never decodes an image).
 */
export async function decodeLuma(image: Buffer | string): Promise<Plane> {
  const { default: sharp } = await import('sharp');
  const { data, info } = await sharp(image, { failOn: 'none', sequentialRead: true })
    .resize(DECODE_SIDE, DECODE_SIDE, { fit: 'inside', withoutEnlargement: true })
    .greyscale()
    .raw()
    .toBuffer({ resolveWithObject: true });
  if (info.channels === 1) return planeOf(info.width, info.height, data);
  // A grey image with alpha comes back with two channels: keep the first.
  const grey = new Uint8Array(info.width * info.height);
  for (let i = 0; i < grey.length; i++) grey[i] = data[i * info.channels] as number;
  return planeOf(info.width, info.height, grey);
}
