import * as fs from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../../helpers/cli.js';
import { pairwiseScore, type FoundGroup } from '../../helpers/similar-score.js';
import { smallSimilarSet } from '../../helpers/similar-set.js';
import { tempDir } from '../../helpers/tmp.js';

describe('fieldbackup similar <dir>', () => {
  it('finds the bursts and brackets of held-out photographs from pixels alone, RAW previews included', async () => {
    const dir = await tempDir();
    const labels = await smallSimilarSet(dir, 6);
    const run = await cli(['similar', dir, '--json']);
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout) as { groups: FoundGroup[] };
    expect(Object.keys(out)).toEqual(['groups']);
    for (const g of out.groups) {
      expect(['burst', 'bracket']).toContain(g.kind);
      expect(g.files.length).toBeGreaterThanOrEqual(2);
    }
    const score = pairwiseScore(labels, out.groups);
    expect(labels.some((l) => l.relPath.endsWith('.DNG') && l.group !== undefined)).toBe(true);
    expect(score.precision).toBeGreaterThanOrEqual(0.95);
    expect(score.recall).toBeGreaterThanOrEqual(0.9);
    expect(score.kindAccuracy).toBeGreaterThanOrEqual(0.9);
  }, 120_000);

  it('prints stacks for people, lists a RAW and its JPEG together, and reports an undecodable image without losing the rest', async () => {
    const dir = await tempDir();
    const labels = await smallSimilarSet(join(dir, 'DCIM'), 2, 3);
    const grouped = labels.find((l) => l.group !== undefined && l.relPath.endsWith('.JPG'));
    expect(grouped).toBeDefined();
    const stem = (grouped?.relPath ?? '').replace(/\.JPG$/, '');
    // The capture's sidecar goes with it; it is never looked at.
    await fs.writeFile(join(dir, 'DCIM', `${stem}.XMP`), '<x:xmpmeta/>');
    await fs.writeFile(join(dir, 'DCIM', 'BROKEN.JPG'), Buffer.from('not a picture at all'));
    await fs.writeFile(join(dir, 'DCIM', 'NOTES.TXT'), 'no image here');
    const run = await cli(['similar', dir]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('error: DCIM/BROKEN.JPG: ');
    expect(run.stderr).not.toContain('NOTES.TXT');
    expect(run.stdout).toMatch(
      /^\d+ images \(wildlife\): \d+ bursts?, \d+ brackets?; \d+ files in stacks\n/,
    );
    expect(run.stdout).toMatch(/(burst|bracket) 1 \(\d+ files, pick DCIM\/\S+\):\n {2}DCIM\//);
    expect(run.stdout).toContain(`  DCIM/${stem}.XMP\n`);

    const json = await cli(['similar', dir, '--json']);
    expect(json.code).toBe(1);
    const groups = (JSON.parse(json.stdout) as { groups: FoundGroup[] }).groups;
    const withSidecar = groups.find((g) => g.files.includes(`DCIM/${stem}.JPG`));
    expect(withSidecar?.files).toContain(`DCIM/${stem}.XMP`);
  }, 120_000);

  it('uses the profile given: a config profile that links nothing finds no stack', async () => {
    const dir = await tempDir();
    await smallSimilarSet(join(dir, 'img'), 2, 3);
    const config = join(dir, 'fb.yaml');
    await fs.writeFile(
      config,
      'version: 1\nsimilarity:\n  profiles:\n    strict: { link: 1.9, cohesion: 1.9 }\n',
    );
    const strict = await cli([
      'similar',
      join(dir, 'img'),
      '--json',
      '--config',
      config,
      '--profile',
      'strict',
    ]);
    expect(strict).toMatchObject({ code: 0, stdout: '{"groups":[]}\n' });
    const sports = await cli(['similar', join(dir, 'img'), '--profile', 'sports']);
    expect(sports.code).toBe(0);
    expect(sports.stdout).toMatch(/images \(sports\)/);
  }, 120_000);

  it('is bad usage (exit 2) for an unknown profile, an empty folder, a missing folder or a file', async () => {
    const dir = await tempDir();
    await fs.mkdir(join(dir, 'empty'));
    await fs.writeFile(join(dir, 'empty', 'README.txt'), 'no pictures');
    const unknown = await cli(['similar', join(dir, 'empty'), '--profile', 'macro']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain(
      'unknown profile "macro" (profiles: wildlife, landscape, sports)',
    );
    const empty = await cli(['similar', join(dir, 'empty')]);
    expect(empty).toMatchObject({ code: 2, stdout: '' });
    expect(empty.stderr).toContain(`no images in ${join(dir, 'empty')}`);
    const missing = await cli(['similar', join(dir, 'gone'), '--json']);
    expect(missing.code).toBe(2);
    expect(missing.events[0]).toMatchObject({
      event: 'error',
      code: 'E_SOURCE_MISSING',
      path: join(dir, 'gone'),
    });
    const file = await cli(['similar', join(dir, 'empty', 'README.txt')]);
    expect(file.code).toBe(2);
    expect(file.stderr).toContain('is not a folder');
  });
});
