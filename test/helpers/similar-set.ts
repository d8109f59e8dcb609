import { join } from 'node:path';
import sharp from 'sharp';
import {
  ensurePhotoSet,
  generateSimilarSet,
  installedPhotos,
  type LabelledFrame,
} from '../../fixtures/index.js';
import { prerequisite } from './prereq.js';

/**
 * The held-out photographs (mate-backgrounds): installed in CI (APT_PACKAGES), else fetched
 * once with `apt-get download` into .cache/photos.
 */
export async function validationPhotos(): Promise<string[]> {
  if (process.env.CI === 'true') {
    const installed = installedPhotos('validation');
    prerequisite('mate-backgrounds (apt)', installed.length > 0);
  }
  return ensurePhotoSet('validation', join(process.cwd(), '.cache', 'photos'));
}

/** A labelled set of bursts, brackets and singles from `photos` photographs, small and quick. */
export async function smallSimilarSet(
  dir: string,
  photos: number,
  seed = 7,
): Promise<LabelledFrame[]> {
  const all = await validationPhotos();
  return generateSimilarSet(dir, {
    seed,
    photos: all.slice(0, photos),
    maxSide: 1024,
    rawBytes: 100_000,
  });
}

/** What a camera shot: a burst of near-identical frames, then a single frame a minute later. */
export interface BurstShoot {
  /** JPEGs in shooting order, 250 ms apart by their EXIF capture times. */
  readonly burst: readonly string[];
  readonly single: string;
}

/**
 * A burst as a camera records it, for tethering: near-identical frames of one photograph
 * (labelled set, seed 5 of the second photograph: a 5-frame burst the detector groups whole, a
 * bracket left out, and a single of another scene), each written as
 * IMG_nnnn.JPG with camera EXIF and a capture time 250 ms after the one before.
 */
export async function burstShoot(dir: string): Promise<BurstShoot> {
  const source = join(dir, 'labelled');
  const frames = await generateSimilarSet(source, {
    seed: 5,
    photos: (await validationPhotos()).slice(1, 2),
    maxSide: 640,
    rawShare: 0,
  });
  const burst = frames.filter((f) => f.kind === 'burst');
  const single = frames.find((f) => f.group === undefined);
  if (burst.length < 3 || single === undefined)
    throw new Error('the labelled set changed: seed 5 no longer gives a burst and a single');
  const start = Date.UTC(2026, 5, 1, 12, 0, 0);
  const write = async (relPath: string, n: number, at: number): Promise<string> => {
    const wall = new Date(at).toISOString();
    const out = join(dir, `IMG_${String(n).padStart(4, '0')}.JPG`);
    await sharp(join(source, relPath))
      .jpeg({ quality: 90 })
      .withExif({
        IFD0: { Make: 'Canon', Model: 'Canon EOS R5' },
        IFD2: {
          DateTimeOriginal: wall.slice(0, 19).replace('T', ' ').replace(/-/g, ':'),
          SubSecTimeOriginal: wall.slice(20, 23),
        },
      })
      .toFile(out);
    return out;
  };
  const shots: string[] = [];
  for (const [i, f] of burst.entries()) shots.push(await write(f.relPath, i + 1, start + i * 250));
  return { burst: shots, single: await write(single.relPath, burst.length + 1, start + 60_000) };
}
