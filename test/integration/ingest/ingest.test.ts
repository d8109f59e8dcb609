import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateShoot } from '../../../fixtures/index.js';
import { afterAll } from 'vitest';
import {
  createExifTool,
  ExifToolPlanTagReader,
  FolderSource,
  hashBytes,
  ingest,
  type IngestEvent,
} from '../../../src/index.js';
import { openCatalog, setupBox } from '../../helpers/box.js';
import { hasCommand, prerequisite } from '../../helpers/prereq.js';
import { photosOf, snapshotTree } from '../../helpers/tree.js';

const exiftool = createExifTool();
afterAll(() => exiftool.end());
const tags = new ExifToolPlanTagReader(exiftool);

async function run(
  card: string,
  vaults: string[],
  home: string,
  extra: { paranoid?: boolean } = {},
) {
  const catalog = await openCatalog(home);
  const events: IngestEvent[] = [];
  const done = await ingest({
    source: new FolderSource(card),
    vaults,
    catalog,
    tags,
    onEvent: (e) => events.push(e),
    ...extra,
  });
  await catalog.close();
  return { done, events };
}

describe('ingest', () => {
  it('puts every file on both vaults at template paths, byte-identical, and records them', async () => {
    const box = await setupBox();
    const { done, events } = await run(box.card, [box.vaultA, box.vaultB], box.home);

    expect(done).toMatchObject({ files: 8, copied: 8, failed: 0, degraded: 0, exitCode: 0 });
    const totalBytes = box.shoot.reduce((n, f) => n + f.size, 0);
    expect(done.bytesWritten).toBe(2 * totalBytes);
    const a = await photosOf(box.vaultA);
    const b = await photosOf(box.vaultB);
    expect(a).toEqual(b);
    expect(a.size).toBe(8);
    // The JPEGs carry the camera's wall clock 2026-11-20 09:00 (+03:00); the RAWs share it as capture siblings.
    for (const f of box.shoot) {
      const expected = `2026/2026-11-20/card/${f.relPath}`;
      expect(a.has(expected), expected).toBe(true);
      const original = await fs.readFile(join(box.card, f.relPath));
      const copy = await fs.readFile(join(box.vaultA, 'Photos', expected));
      expect(copy.equals(original)).toBe(true);
      // Modification times survive to the millisecond (Node's utimes takes float seconds).
      const mtimeCopy = (await fs.stat(join(box.vaultB, 'Photos', expected))).mtimeMs;
      expect(Math.abs(mtimeCopy - (await fs.stat(join(box.card, f.relPath))).mtimeMs)).toBeLessThan(
        1,
      );
    }
    expect(events[0]?.event).toBe('start');
    expect(events.at(-1)?.event).toBe('done');
    const files = events.filter((e) => e.event === 'file');
    expect(files).toHaveLength(8);
    for (const f of files) {
      expect(f).toMatchObject({ outcome: 'copied', tier: 'standard', missing: [] });
      expect(f.copies.map((c) => c.vault).sort()).toEqual(['SSD-A', 'SSD-B']);
    }

    const catalog = await openCatalog(box.home);
    for (const f of box.shoot) {
      const hash = hashBytes(await fs.readFile(join(box.card, f.relPath)));
      const object = catalog.object(hash);
      expect(object?.size).toBe(f.size);
      expect(Object.keys(object?.copies ?? {})).toHaveLength(2);
    }
    expect(await fs.readdir(join(box.vaultA, '.fieldbackup', 'tmp'))).toEqual([]);
  });

  it('writes one ASC MHL generation per ingest and vault that validates against the XSDs', async () => {
    const box = await setupBox();
    await run(box.card, [box.vaultA, box.vaultB], box.home);
    await generateShoot(box.card, {
      seed: 2,
      captures: 1,
      rawBytes: [1000, 2000],
      firstNumber: 50,
    });
    await run(box.card, [box.vaultA, box.vaultB], box.home);

    for (const vault of [box.vaultA, box.vaultB]) {
      const mhlDir = join(vault, 'Photos', 'ascmhl');
      const names = (await fs.readdir(mhlDir)).sort();
      expect(names).toHaveLength(3);
      expect(names[0]).toMatch(/^0001_Photos_\d{4}-\d{2}-\d{2}_\d{6}Z\.mhl$/);
      expect(names[1]).toMatch(/^0002_Photos_/);
      expect(names[2]).toBe('ascmhl_chain.xml');
      const first = await fs.readFile(join(mhlDir, names[0] ?? ''), 'utf8');
      expect(first.match(/<hash>/g)).toHaveLength(8);
      const second = await fs.readFile(join(mhlDir, names[1] ?? ''), 'utf8');
      expect(second).toContain('IMG_0050.CR2</path>');
      expect(second.match(/<hash>/g)).toHaveLength(1);
      if (prerequisite('xmllint', hasCommand('xmllint'))) {
        const xsd = join(process.cwd(), 'fixtures', 'spec', 'ascmhl');
        for (const name of names.slice(0, 2)) {
          execFileSync(
            'xmllint',
            ['--noout', '--schema', join(xsd, 'ASCMHL.xsd'), join(mhlDir, name)],
            { stdio: 'pipe' },
          );
        }
        execFileSync(
          'xmllint',
          [
            '--noout',
            '--schema',
            join(xsd, 'ASCMHLDirectory.xsd'),
            join(mhlDir, 'ascmhl_chain.xml'),
          ],
          { stdio: 'pipe' },
        );
      }
    }
  });

  it('writes 0 bytes when the same card is ingested again, and re-hashes with paranoid', async () => {
    const box = await setupBox();
    await run(box.card, [box.vaultA, box.vaultB], box.home);
    const before = await photosOf(box.vaultA);

    const again = await run(box.card, [box.vaultA, box.vaultB], box.home);
    expect(again.done).toMatchObject({
      files: 8,
      copied: 0,
      unchanged: 8,
      bytesWritten: 0,
      bytesRead: 0,
      exitCode: 0,
    });

    const paranoid = await run(box.card, [box.vaultA, box.vaultB], box.home, { paranoid: true });
    const total = box.shoot.reduce((n, f) => n + f.size, 0);
    expect(paranoid.done).toMatchObject({
      copied: 0,
      unchanged: 8,
      bytesWritten: 0,
      bytesRead: total,
    });
    expect(await photosOf(box.vaultA)).toEqual(before);
  });

  it('records a file already held from another card without copying it again', async () => {
    const box = await setupBox();
    await run(box.card, [box.vaultA, box.vaultB], box.home);
    const second = join(box.dir, 'card2');
    await fs.mkdir(join(second, 'DCIM'), { recursive: true });
    const dup = box.shoot[0]!;
    await fs.copyFile(join(box.card, dup.relPath), join(second, 'DCIM', 'COPY.CR2'));
    await generateShoot(second, {
      seed: 9,
      captures: 1,
      rawBytes: [5000, 6000],
      folder: 'DCIM/101CANON',
    });

    const { done, events } = await run(second, [box.vaultA, box.vaultB], box.home);
    expect(done).toMatchObject({ files: 2, copied: 1, deduplicated: 1, exitCode: 0 });
    const dedup = events.find((e) => e.event === 'file' && e.path === 'DCIM/COPY.CR2');
    expect(dedup).toMatchObject({ outcome: 'deduplicated', bytes: dup.size });
    expect(done.bytesWritten).toBeLessThan(2 * 6000);
    expect([...(await photosOf(box.vaultA)).keys()].some((p) => p.endsWith('COPY.CR2'))).toBe(
      false,
    );
  });

  it('gives a path taken by other content a new deterministic name, never overwriting', async () => {
    const box = await setupBox({ captures: 1, jpeg: false });
    await run(box.card, [box.vaultA, box.vaultB], box.home);
    const original = await photosOf(box.vaultA);

    // Another card with the same folder name and file names but other pictures (a reformatted card).
    const other = join(box.dir, 'other', 'card');
    await generateShoot(other, { seed: 77, captures: 1, rawBytes: [50_000, 60_000], jpeg: false });
    await fs.utimes(
      join(other, 'DCIM/100CANON/IMG_0001.CR2'),
      box.shoot[0]!.captureTime,
      box.shoot[0]!.captureTime,
    );
    const { done, events } = await run(other, [box.vaultA, box.vaultB], box.home);

    expect(done).toMatchObject({ copied: 1, exitCode: 0 });
    const file = events.find((e) => e.event === 'file');
    const day = box.shoot[0]!.captureTime;
    const base = `${day.getFullYear()}`;
    expect(file && file.event === 'file' && file.copies[0]?.path).toMatch(
      new RegExp(`^${base}/.*/card/DCIM/100CANON/IMG_0001_2\\.CR2$`),
    );
    const after = await photosOf(box.vaultA);
    for (const [path, sha] of original) expect(after.get(path)).toBe(sha);
    expect(after.size).toBe(2);
  });

  it('never modifies the source: bytes, mtimes and modes are unchanged', async () => {
    const box = await setupBox();
    await fs.chmod(join(box.card, box.shoot[0]!.relPath), 0o444);
    const before = await snapshotTree(box.card);
    await run(box.card, [box.vaultA, box.vaultB], box.home);
    await run(box.card, [box.vaultA, box.vaultB], box.home, { paranoid: true });
    expect(await snapshotTree(box.card)).toEqual(before);
  });

  it('skips OS junk and does not follow a symlink out of the source', async () => {
    const box = await setupBox({ captures: 1 });
    const outside = join(box.dir, 'secret.txt');
    await fs.writeFile(outside, 'not a photo');
    await fs.mkdir(join(box.card, '.Spotlight-V100'));
    await fs.writeFile(join(box.card, '.Spotlight-V100', 'store.db'), 'x');
    await fs.writeFile(join(box.card, 'DCIM', '.DS_Store'), 'x');
    await fs.writeFile(join(box.card, 'DCIM', '._IMG_0001.CR2'), 'x');
    await fs.symlink(outside, join(box.card, 'DCIM', 'link.txt'));

    const { done, events } = await run(box.card, [box.vaultA, box.vaultB], box.home);
    expect(done.files).toBe(2);
    const warning = events.find((e) => e.event === 'warning');
    expect(warning).toMatchObject({ code: 'E_SYMLINK_OUTSIDE', path: 'DCIM/link.txt' });
    const names = [...(await photosOf(box.vaultA)).keys()].join('\n');
    expect(names).not.toMatch(/DS_Store|Spotlight|\._IMG|link\.txt/);
  });

  it('uses the path template stored in each vault', async () => {
    const box = await setupBox({ captures: 1 });
    const custom = join(box.dir, 'custom');
    const { initVault } = await import('../../../src/index.js');
    await initVault(custom, {
      label: 'BY-CAMERA',
      pathTemplate: '{camera}/{capture:YYYY-MM}/{filename}',
    });
    await run(box.card, [box.vaultA, custom], box.home);
    expect([...(await photosOf(custom)).keys()].sort()).toEqual([
      'Canon EOS R5/2026-11/IMG_0001.CR2',
      'Canon EOS R5/2026-11/IMG_0001.JPG',
    ]);
  });
});
