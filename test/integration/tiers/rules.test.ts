import * as fs from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateShoot, seededBytes, writeJpeg } from '../../../fixtures/index.js';
import {
  Catalog,
  createExifTool,
  ExifToolPlanTagReader,
  FolderSource,
  IngestSession,
  ingest,
  nodeVaultIo,
  type IngestEvent,
  type PlanTagReader,
  type SourceEntry,
  type VaultIo,
} from '../../../src/index.js';
import { openCatalog, setupBox } from '../../helpers/box.js';
import { cli, ingestArgv } from '../../helpers/cli.js';
import { writeTags } from '../../helpers/tags.js';
import { photosOf } from '../../helpers/tree.js';

const CONFIG = `version: 1
tiers:
  rules:
    - { tier: critical, minRating: 4 }
    - { tier: critical, label: Red }
    - { tier: critical, keywords: [pick, hero] }
    - { tier: critical, serial: "012345" }
    - { tier: critical, protected: true }
    - { tier: bulk, folder: TIMELAPSE }
    - { tier: bulk, kind: video }
`;

const jpeg = (path: string, seed: number): Promise<number> =>
  writeJpeg(path, {
    seed,
    make: 'Canon',
    model: 'Canon EOS R5',
    captureTime: new Date(Date.UTC(2026, 2, 7, 9, seed)),
  });

describe('tier rules on a real card, read with ExifTool', () => {
  it('places each capture by rating, label, keywords, body serial, protect flag, folder and kind', async () => {
    const box = await setupBox({ captures: 1, jpeg: true });
    const d = join(box.card, 'DCIM', '100CANON');
    for (let n = 2; n <= 7; n++) await jpeg(join(d, `IMG_000${n}.JPG`), n);
    await jpeg(join(d, 'IMG_0009.JPG'), 9);
    await jpeg(join(box.card, 'DCIM', 'TIMELAPSE', 'IMG_0100.JPG'), 10);
    await fs.mkdir(join(box.card, 'CLIPS'));
    await fs.writeFile(join(box.card, 'CLIPS', 'C0001.MP4'), seededBytes('clip', 200_000));
    await writeTags({
      [join(d, 'IMG_0001.JPG')]: { Rating: 5 },
      [join(d, 'IMG_0002.JPG')]: { Label: 'Red' },
      [join(d, 'IMG_0003.JPG')]: { Keywords: ['travel', 'Pick'] },
      [join(d, 'IMG_0004.JPG')]: { SerialNumber: '012345' },
      [join(d, 'IMG_0005.JPG')]: { SerialNumber: '999', Rating: 3, Label: 'Green' },
    });
    await fs.chmod(join(d, 'IMG_0006.JPG'), 0o444);
    const config = join(box.dir, 'tiers.yaml');
    await fs.writeFile(config, CONFIG);

    const run = await cli(ingestArgv(box, '--config', config, '--json'));
    expect(run.code).toBe(0);
    const tiers = Object.fromEntries(
      run.events.filter((e) => e.event === 'file').map((e) => [String(e.path), e.tier]),
    );
    expect(tiers).toEqual({
      'DCIM/100CANON/IMG_0001.CR2': 'critical', // its JPEG has 5 stars: the whole capture
      'DCIM/100CANON/IMG_0001.JPG': 'critical',
      'DCIM/100CANON/IMG_0002.JPG': 'critical', // red label
      'DCIM/100CANON/IMG_0003.JPG': 'critical', // keyword "pick"
      'DCIM/100CANON/IMG_0004.JPG': 'critical', // body serial
      'DCIM/100CANON/IMG_0005.JPG': 'standard', // 3 stars, green, another body
      'DCIM/100CANON/IMG_0006.JPG': 'critical', // protected in the camera
      'DCIM/100CANON/IMG_0007.JPG': 'standard',
      'DCIM/100CANON/IMG_0009.JPG': 'standard',
      'DCIM/TIMELAPSE/IMG_0100.JPG': 'bulk',
      'CLIPS/C0001.MP4': 'bulk',
    });
    const order = run.events.filter((e) => e.event === 'file').map((e) => String(e.tier));
    expect(order).toEqual([...order].sort((a, b) => rankOf(a) - rankOf(b)));

    // The catalog keeps each file's tier, and the status counts captures per tier.
    const status = await cli(['status', '--home', box.home, '--json']);
    expect(status.events[0]?.tiers).toMatchObject([
      { tier: 'critical', total: { captures: 5, files: 6 }, copied: { captures: 5 } },
      { tier: 'standard', total: { captures: 3, files: 3 } },
      { tier: 'bulk', total: { captures: 2, files: 2 } },
    ]);
    expect(status.events[0]?.safeToFormat).toBe(true);
  });

  it('takes a rule function through the API, and makes a tethered shot critical and next within one file', async () => {
    const box = await setupBox({ captures: 8, jpeg: false, rawBytes: [2_000_000, 3_000_000] });
    const tethered = join(box.dir, 'tether');
    await generateShoot(tethered, {
      seed: 7,
      captures: 1,
      rawBytes: [50_000, 60_000],
      jpeg: false,
      folder: 'EOS',
    });
    const catalog = await openCatalog(box.home);
    const exiftool = createExifTool();
    // The log: each file's first write (on SSD-A), and when the shot was planned.
    const log: string[] = [];
    let shotJob = '';
    const io: VaultIo = {
      ...nodeVaultIo,
      createTemp(path) {
        if (path.startsWith(box.vaultA))
          log.push(shotJob !== '' && path.includes(shotJob) ? 'shot write' : 'card write');
        return nodeVaultIo.createTemp(path);
      },
    };
    const reader = new ExifToolPlanTagReader(exiftool);
    const tags: PlanTagReader = {
      async read(paths) {
        const read = await reader.read(paths);
        if (paths.some((p) => p.startsWith(tethered))) log.push('shot planned');
        return read;
      },
    };
    const session = await IngestSession.open({
      vaults: [box.vaultA, box.vaultB],
      catalog,
      concurrency: 1,
      vaultIo: io,
      tags,
      tierRule: (c) =>
        c.entries.some((e) => e.relPath.endsWith('0006.CR2')) ? 'critical' : undefined,
    });
    const order: string[] = [];
    let shot: Promise<unknown> | undefined;
    const done = await session.ingest(new FolderSource(box.card), {
      onEvent: (e) => {
        if (e.event !== 'file') return;
        order.push(`${e.tier} ${e.path}`);
        if (order.length === 2) shot = tether(session, tethered, order, (id) => (shotJob = id));
      },
    });
    await shot;
    await session.close();
    await exiftool.end();
    expect(done.exitCode).toBe(0);
    // The API rule made IMG_0006 critical: it went first.
    expect(order[0]).toBe('critical DCIM/100CANON/IMG_0006.CR2');
    // The tethered shot is critical by the built-in rule; once planned, at most the card file in flight starts before it.
    expect(order.filter((o) => o.startsWith('critical EOS/'))).toHaveLength(1);
    const planned = log.indexOf('shot planned');
    const written = log.indexOf('shot write');
    expect(planned).toBeGreaterThan(0);
    expect(written - planned - 1).toBeLessThanOrEqual(1);
    expect(log.slice(written).filter((l) => l === 'card write').length).toBeGreaterThan(3);
  });

  it('reports the files of a rule function that throws, and finishes the rest', async () => {
    const box = await setupBox({ captures: 2, jpeg: false });
    const catalog = await openCatalog(box.home);
    const events: IngestEvent[] = [];
    const done = await ingest({
      source: new FolderSource(box.card),
      vaults: [box.vaultA, box.vaultB],
      catalog,
      tierRule: () => {
        throw new Error('my rule broke');
      },
      onEvent: (e) => events.push(e),
    });
    expect(done).toMatchObject({
      files: 2,
      copied: 0,
      failed: 2,
      safeToFormat: false,
      exitCode: 1,
    });
    expect(events.filter((e) => e.event === 'error')).toEqual(
      box.shoot.map((f) => ({
        event: 'error',
        code: 'E_CONFIG',
        message: 'cannot plan these files: Error: my rule broke',
        path: f.relPath,
      })),
    );
    expect(done.notCopied.map((f) => [f.path, f.state])).toEqual(
      box.shoot.map((f) => [f.relPath, 'failed']),
    );
  });

  it('reports files it cannot record in the catalog instead of waiting for them forever', async () => {
    const box = await setupBox({ captures: 2, jpeg: false });
    const catalog = await Catalog.open(box.home);
    const session = await IngestSession.open({ vaults: [box.vaultA, box.vaultB], catalog });
    const source = new FolderSource(box.card);
    const entries: SourceEntry[] = [];
    for await (const e of source.entries(() => undefined)) entries.push(e);
    const events: IngestEvent[] = [];
    const job = await session.startJob(source, await source.identify(), {
      onEvent: (e) => events.push(e),
    });
    await catalog.close();
    await job.add(entries);
    expect(
      events.filter((e) => e.event === 'error').map((e) => e.event === 'error' && [e.code, e.path]),
    ).toEqual(entries.map((e) => ['E_CATALOG', e.relPath]));
    expect(await photosOf(box.vaultA)).toEqual(new Map());
    await session.close().catch(() => undefined);
  });
});

const rankOf = (tier: string): number => ['critical', 'standard', 'bulk'].indexOf(tier);

/** A tethered camera: each shot is added to a job as it arrives, marked tethered. */
async function tether(
  session: IngestSession,
  dir: string,
  order: string[],
  onJob: (id: string) => void,
): Promise<void> {
  const source = new FolderSource(dir);
  const entries: SourceEntry[] = [];
  for await (const e of source.entries(() => undefined)) entries.push({ ...e, tethered: true });
  const job = await session.startJob(
    source,
    { kind: 'camera', name: 'Canon EOS R5', location: 'usb:1-1' },
    {
      onEvent: (e) => {
        if (e.event === 'start') onJob(e.jobId);
        if (e.event === 'file') order.push(`${e.tier} ${e.path}`);
      },
    },
  );
  await job.add(entries);
  await job.finish();
}
