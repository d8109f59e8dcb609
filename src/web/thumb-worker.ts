/**
 * The thumbnail worker: a child process the web server starts at the lowest CPU priority, so
 * making thumbnails never slows a copy. One request at a time on stdin's IPC channel: read the
 * embedded preview of the first source that has one, scale it, write it atomically.
 */
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import sharp from 'sharp';
import { errorMessage } from '../core/index.js';
import { extractPreview } from '../media/index.js';
import { writeFileAtomic } from '../platform/index.js';
import type { ThumbReply, ThumbRequest } from './thumb-protocol.js';

sharp.concurrency(1);
sharp.cache(false);

/** EXIF orientation → rotation and mirror, for previews that do not carry the RAW's own. */
const ORIENT: Record<number, { angle: number; flop: boolean }> = {
  2: { angle: 0, flop: true },
  3: { angle: 180, flop: false },
  4: { angle: 180, flop: true },
  5: { angle: 90, flop: true },
  6: { angle: 90, flop: false },
  7: { angle: 270, flop: true },
  8: { angle: 270, flop: false },
};

async function make(request: ThumbRequest): Promise<ThumbReply> {
  for (const source of request.sources) {
    const preview = await extractPreview(source).catch(() => undefined);
    if (preview === undefined) continue;
    let image = sharp(preview.data, { failOn: 'none' });
    const own = (await image.metadata()).orientation;
    const fix = own === undefined || own === 1 ? ORIENT[request.orientation ?? 1] : undefined;
    image = own !== undefined && own !== 1 ? image.rotate() : image;
    if (fix !== undefined) image = image.rotate(fix.angle).flop(fix.flop);
    const data = await image
      .resize(request.px, request.px, { fit: 'inside', withoutEnlargement: true })
      .jpeg({ quality: 78 })
      .toBuffer();
    await mkdir(dirname(request.out), { recursive: true });
    // A thumbnail is a cache: a newer one may replace an older one.
    await writeFileAtomic(request.out, data, { replace: true });
    return { id: request.id, ok: true };
  }
  return { id: request.id, ok: false, reason: 'no embedded preview' };
}

process.on('message', (message: ThumbRequest) => {
  make(message).then(
    (reply) => process.send?.(reply),
    (err: unknown) => process.send?.({ id: message.id, ok: false, reason: errorMessage(err) }),
  );
});
process.on('disconnect', () => process.exit(0));
