import { describe, expect, it, onTestFinished } from 'vitest';
import {
  allIndexers,
  BackgroundStacker,
  BUILT_IN_PROFILES,
  createExifTool,
  ExifToolHintReader,
  ExifToolMetadataReader,
  MediaPreviewSource,
  MetadataIndexer,
  QuietStacking,
  search,
  StacksStore,
  statusOfJob,
  type Catalog,
  type SimilarityProfile,
  type StackEvent,
} from '../../../src/index.js';
import { burstShoot } from '../../helpers/similar-set.js';
import { ptpipCamera, startTether, tetherBox } from '../../helpers/tether.js';
import { tempDir } from '../../helpers/tmp.js';
import { until } from '../../helpers/until.js';

/** The background work a tethered session runs: metadata index, then stacks after a pause. */
function background(catalog: Catalog): {
  stacking: QuietStacking;
  indexer: MetadataIndexer;
  events: StackEvent[];
  decoded: string[];
} {
  const exiftool = createExifTool({ background: true });
  onTestFinished(() => exiftool.end());
  const indexer = new MetadataIndexer({ catalog, reader: new ExifToolMetadataReader(exiftool) });
  const events: StackEvent[] = [];
  const decoded: string[] = [];
  const previews = new MediaPreviewSource(exiftool);
  const stacker = new BackgroundStacker({
    catalog,
    profile: BUILT_IN_PROFILES.wildlife as SimilarityProfile,
    // Counts every image decoded: each frame must be looked at once, however often the job grows.
    previews: { preview: (path) => (decoded.push(path), previews.preview(path)) },
    hints: new ExifToolHintReader(exiftool),
    onEvent: (e) => events.push(e),
  });
  const stacking = new QuietStacking({ stacker, indexed: () => indexer.idle(), quietMs: 400 });
  return { stacking, indexer, events, decoded };
}

describe('stacks of a tethered shoot', () => {
  it('a burst shot over PTP/IP, arriving across two pauses, ends as one stack found by stack: search, each frame decoded once', async () => {
    const shoot = await burstShoot(await tempDir());
    let work!: ReturnType<typeof background>;
    const box = await tetherBox({
      indexer: (catalog) => {
        work = background(catalog);
        return allIndexers(work.indexer, work.stacking);
      },
    });
    const cam = await ptpipCamera();
    const run = startTether(cam.feed(), box);
    await run.until((e) => e.some((x) => x.event === 'connected'), 'the camera');

    // The first frames of the burst, then a pause: stacks are looked for.
    const [first, ...rest] = [shoot.burst.slice(0, 3), shoot.burst.slice(3)];
    for (const frame of first) await cam.camera.capture(frame);
    await run.until(() => run.shots().length === first.length, 'the first frames');
    // However the frames trickled in, the look after the pause sees one burst of three.
    await until(
      () => work.events.some((e) => e.event === 'stacks' && e.bursts === 1 && e.frames === 3),
      'the first three frames stacked',
    );
    expect(work.events.filter((e) => e.event === 'stacks-failed')).toEqual([]);

    // The rest of the burst, then a single frame a minute later.
    for (const frame of rest.flat()) await cam.camera.capture(frame);
    await cam.camera.capture(shoot.single);
    const total = shoot.burst.length + 1;
    await run.until(() => run.shots().length === total, 'every shot');
    const done = await run.stop();
    expect(done).toMatchObject({ shots: total, failed: 0, exitCode: 0 });
    // The session ends: what came after the last pause is looked at now.
    await work.stacking.flush();

    const burst = search(box.catalog, 'stack:burst', { limit: 0 }).captures;
    expect(burst.map((c) => c.captureKey).sort()).toEqual(
      shoot.burst.map(
        (p) => `dcim/100simcam/${p.split('/').pop()!.replace('.JPG', '').toLowerCase()}`,
      ),
    );
    expect(search(box.catalog, 'stack:pick').total).toBe(1);
    expect(search(box.catalog, 'stack:bracket').total).toBe(0);
    const jobId = box.catalog.file(burst[0]!.sourceId, burst[0]!.files[0]!.relPath)!.jobId;
    const stacks = [...new StacksStore(box.catalog).stacksOf(jobId)];
    expect(stacks).toHaveLength(1);
    expect(stacks[0]).toMatchObject({ no: 1, kind: 'burst' });
    expect(stacks[0]!.frames).toHaveLength(shoot.burst.length);
    expect(statusOfJob(box.catalog, jobId)?.stacks).toMatchObject({
      state: 'done',
      bursts: 1,
      brackets: 0,
      frames: shoot.burst.length,
    });
    // Looked at more than once, yet each frame was decoded once.
    expect(work.events.filter((e) => e.event === 'stacks').length).toBeGreaterThanOrEqual(2);
    expect(work.decoded).toHaveLength(total);
    expect(new Set(work.decoded).size).toBe(total);
  }, 120_000);
});
