import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  BackgroundStacker,
  BUILT_IN_PROFILES,
  QuietStacking,
  stacksLine,
  type ContentHash,
  type JobId,
  type SimilarityProfile,
  type SourceId,
  type StackEvent,
} from '../../../src/index.js';
import { openCatalog } from '../../helpers/box.js';
import { tempDir } from '../../helpers/tmp.js';
import { until } from '../../helpers/until.js';

/** A stacker on a real catalog whose frames have no image (each is looked at, none stacks). */
async function setup(busy?: () => boolean): Promise<{
  stacking: QuietStacking;
  stacker: BackgroundStacker;
  events: StackEvent[];
  looked: string[];
  /** How often the look waited for the metadata index first. */
  indexed: () => number;
  add: (name: string) => void;
}> {
  const dir = await tempDir();
  const catalog = await openCatalog(join(dir, 'home'));
  const events: StackEvent[] = [];
  const looked: string[] = [];
  const stacker = new BackgroundStacker({
    catalog,
    profile: BUILT_IN_PROFILES.wildlife as SimilarityProfile,
    previews: { preview: (path) => (looked.push(path), Promise.resolve(undefined)) },
    hints: { read: () => Promise.resolve(new Map()) },
    onEvent: (e) => events.push(e),
  });
  let indexed = 0;
  const stacking = new QuietStacking({
    stacker,
    indexed: () => (indexed++, Promise.resolve()),
    quietMs: 100,
    ...(busy === undefined ? {} : { busy }),
  });
  let n = 0;
  const add = (name: string): void => {
    // The vault copy is never opened: the preview source above answers for it.
    const path = join(dir, name);
    stacking.add({
      sourceId: 'camera' as SourceId,
      jobId: 'job-t' as JobId,
      relPath: name,
      hash: (++n).toString(16).padStart(32, '0') as ContentHash,
      tier: 'standard',
      outcome: 'copied',
      copies: [path],
    });
  };
  return { stacking, stacker, events, looked, indexed: () => indexed, add };
}

describe('stacks after a quiet period', () => {
  it('looks once the files stop coming, at everything that came, and only at the new frames next time', async () => {
    const s = await setup();
    for (const name of ['IMG_1.JPG', 'IMG_2.JPG', 'IMG_3.JPG']) s.add(name);
    await until(() => s.events.length > 0, 'a look');
    expect(s.events).toEqual([
      expect.objectContaining({ event: 'stacks', analysed: 3, skipped: 3 }),
    ]);
    s.add('IMG_4.JPG');
    await s.stacking.flush();
    expect(s.events.at(-1)).toMatchObject({ event: 'stacks', analysed: 4, skipped: 4 });
    expect(s.looked.map((p) => p.split('/').pop())).toEqual([
      'IMG_1.JPG',
      'IMG_2.JPG',
      'IMG_3.JPG',
      'IMG_4.JPG',
    ]);
    expect(s.stacker.stacks.job('job-t' as JobId)).toMatchObject({ state: 'done', analysed: 4 });
    expect(s.indexed()).toBe(2);
  });

  it('on shutdown looks at nothing more, and says the job was not looked at', async () => {
    const s = await setup();
    s.add('IMG_1.JPG');
    await s.stacking.close('not looked for: the box shut down first');
    expect(s.looked).toEqual([]);
    const job = s.stacker.stacks.job('job-t' as JobId);
    expect(job).toMatchObject({
      state: 'failed',
      reason: 'not looked for: the box shut down first',
    });
    expect(stacksLine({ ...job!, state: 'failed' })).toBe(
      'Stacks: not found: not looked for: the box shut down first',
    );
    // A file after the shutdown arms nothing.
    s.add('IMG_2.JPG');
    await s.stacking.flush();
    expect(s.looked).toEqual([]);
  });

  it('waits while the box copies a card, then looks', async () => {
    let copying = true;
    let asked = 0;
    const s = await setup(() => (asked++, copying));
    s.add('IMG_1.JPG');
    // Three quiet periods pass during the copy: no look.
    await until(() => asked >= 3, 'the copy to be asked about');
    expect(s.looked).toEqual([]);
    copying = false;
    await until(() => s.events.length > 0, 'a look after the copy');
    expect(s.looked.map((p) => p.split('/').pop())).toEqual(['IMG_1.JPG']);
  });
});
