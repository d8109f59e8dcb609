import { join } from 'node:path';
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
