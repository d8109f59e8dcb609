/**
 * npm run bench:similar — accuracy and speed of stack detection on labelled sets cut from real
 * photographs shipped in Debian packages (fixtures/photo-library.ts): bursts, brackets,
 * look-alike scenes and single frames, half of them DNG files whose pixels are only in the
 * embedded preview. File names are random, mtimes equal, no EXIF: only pixels tell. Scored
 * pairwise on the tuning set and on the held-out validation set. Speed is the whole
 * `fieldbackup similar` path (preview extraction, ExifTool hints, decode, features, grouping),
 * against a baseline measured in the same run: decoding each preview small with sharp alone.
 * Photos are fetched once (apt-get download) into $FIELDBACKUP_BENCH_DIR.
 */
import * as fs from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { ensurePhotoSet, generateSimilarSet, type PhotoSet } from '../../fixtures/index.js';
import {
  BUILT_IN_PROFILES,
  createExifTool,
  DEFAULT_PROFILE,
  ExifToolHintReader,
  findStacksInFolder,
  MediaPreviewSource,
  type SimilarityProfile,
} from '../../src/index.js';
import { pairwiseScore } from '../helpers/similar-score.js';

const base = process.env.FIELDBACKUP_BENCH_DIR ?? join(tmpdir(), 'fieldbackup-bench');
const SEED = Number(process.env.FIELDBACKUP_BENCH_SEED ?? 5);
const profile = BUILT_IN_PROFILES[DEFAULT_PROFILE] as SimilarityProfile;

const fmt = (x: number): string => x.toFixed(3);

async function run(set: PhotoSet): Promise<void> {
  const photos = await ensurePhotoSet(set, join(base, 'photos'));
  const dir = join(base, `similar-${set}-${SEED}`);
  await fs.rm(dir, { recursive: true, force: true });
  const labels = await generateSimilarSet(dir, { seed: SEED, photos });
  const exiftool = createExifTool();
  try {
    const previews = new MediaPreviewSource(exiftool);
    // Warm-up: ExifTool's processes started, sharp loaded.
    await findStacksInFolder(dir, { profile, previews }).catch(() => undefined);
    const t0 = performance.now();
    for (const l of labels) {
      const image = await previews.preview(join(dir, l.relPath));
      if (image !== undefined)
        await sharp(image).resize(256, 256, { fit: 'inside' }).greyscale().raw().toBuffer();
    }
    const baselineS = (performance.now() - t0) / 1000;
    const t1 = performance.now();
    const found = await findStacksInFolder(dir, {
      profile,
      previews,
      hints: new ExifToolHintReader(exiftool),
    });
    const seconds = (performance.now() - t1) / 1000;
    const score = pairwiseScore(labels, found.groups);
    const raws = labels.filter((l) => l.relPath.endsWith('.DNG')).length;
    const rate = labels.length / seconds;
    const baseRate = labels.length / baselineS;
    process.stdout.write(
      [
        `${set}: ${labels.length} images (${raws} DNG), ${new Set(labels.map((l) => l.group).filter(Boolean)).size} true stacks, ${found.groups.length} found, profile ${profile.name}`,
        `  precision ${fmt(score.precision)}  recall ${fmt(score.recall)}  F1 ${fmt(score.f1)}  (pairs: ${score.truePairs} true, ${score.foundPairs} found, ${score.correctPairs} correct)  kind right ${fmt(score.kindAccuracy)}`,
        `  ${rate.toFixed(1)} images/s (baseline, preview + small decode only: ${baseRate.toFixed(1)} images/s; ratio ${(rate / baseRate).toFixed(2)})`,
        '',
      ].join('\n'),
    );
  } finally {
    await exiftool.end();
  }
}

for (const set of ['tuning', 'validation'] as const) await run(set);
