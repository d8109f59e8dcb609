import * as fs from 'node:fs/promises';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  createExifTool,
  ExifToolPlanTagReader,
  FolderSource,
  ingest,
  nodeVaultIo,
  Tiers,
  type IngestEvent,
  type VaultIo,
} from '../../../src/index.js';
import { openCatalog, setupBox } from '../../helpers/box.js';
import { writeTags } from '../../helpers/tags.js';

describe('copy order by tier, checked from the event log', () => {
  it('verifies every critical capture on both vaults before the first byte of a standard or bulk file is written', async () => {
    const box = await setupBox({ captures: 10, jpeg: true, rawBytes: [300_000, 600_000] });
    const d = join(box.card, 'DCIM', '100CANON');
    await writeTags({
      [join(d, 'IMG_0004.JPG')]: { Rating: 5 },
      [join(d, 'IMG_0009.JPG')]: { Rating: 4 },
      [join(d, 'IMG_0002.JPG')]: { Rating: 1 },
    });
    await fs.chmod(join(d, 'IMG_0007.CR2'), 0o444);
    const tiers = Tiers.fromConfig({
      rules: [
        { tier: 'critical', minRating: 4 },
        { tier: 'critical', protected: true },
        { tier: 'bulk', minRating: 0 }, // rated files that are not picks: later
      ],
    });

    // One log: each temp created (the first byte of a copy), each read-back done, each file secured.
    const log: string[] = [];
    const io: VaultIo = {
      ...nodeVaultIo,
      createTemp(path) {
        log.push(`write ${path}`);
        return nodeVaultIo.createTemp(path);
      },
      async readBack(path) {
        const result = await nodeVaultIo.readBack(path);
        log.push(`verified ${basename(path)}`);
        return result;
      },
    };
    const catalog = await openCatalog(box.home);
    const exiftool = createExifTool();
    const done = await ingest({
      source: new FolderSource(box.card),
      vaults: [box.vaultA, box.vaultB],
      catalog,
      tiers,
      tags: new ExifToolPlanTagReader(exiftool),
      vaultIo: io,
      onEvent: (e: IngestEvent) => {
        if (e.event === 'file') log.push(`secured ${e.tier} ${basename(e.path)}`);
      },
    });
    await exiftool.end();
    expect(done.exitCode).toBe(0);

    const secured = log.filter((l) => l.startsWith('secured'));
    expect(
      secured
        .filter((l) => l.startsWith('secured critical'))
        .map((l) => l.split(' ')[2])
        .sort(),
    ).toEqual([
      'IMG_0004.CR2',
      'IMG_0004.JPG',
      'IMG_0007.CR2',
      'IMG_0007.JPG',
      'IMG_0009.CR2',
      'IMG_0009.JPG',
    ]);
    expect(secured.filter((l) => l.startsWith('secured bulk')).sort()).toEqual([
      'secured bulk IMG_0002.CR2',
      'secured bulk IMG_0002.JPG',
    ]);
    // File events come in tier order: critical, standard, bulk.
    const ranks = secured.map((l) =>
      ['critical', 'standard', 'bulk'].indexOf(l.split(' ')[1] ?? ''),
    );
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));

    // Every critical copy was read back on both vaults before any other file's first write.
    const critical = new Set(['IMG_0004', 'IMG_0007', 'IMG_0009']);
    const isCritical = (l: string): boolean => critical.has((l.split(' ')[1] ?? '').slice(0, 8));
    const lastCriticalCheck = log.findLastIndex((l) => l.startsWith('verified') && isCritical(l));
    expect(log.filter((l) => l.startsWith('verified') && isCritical(l))).toHaveLength(12);
    expect(log.slice(0, lastCriticalCheck).filter((l) => l.startsWith('write'))).toHaveLength(12);
    expect(
      log.slice(0, lastCriticalCheck).some((l) => l.startsWith('verified') && !isCritical(l)),
    ).toBe(false);
    expect(log.filter((l) => l.startsWith('write'))).toHaveLength(40);
  });
});
