import * as fs from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Catalog,
  createExifTool,
  detectFile,
  ExifToolMetadataReader,
  FolderSource,
  FORMATS,
  ingest,
  initVault,
  MetadataIndexer,
  restore,
  search,
  type IndexEvent,
  type IngestDoneEvent,
} from '../../../src/index.js';
import { prerequisite } from '../../helpers/prereq.js';
import { tmpdir } from 'node:os';

/** Real camera files from Debian's exiftool and exiv2 source packages (scripts/fetch-samples.sh). */
const SAMPLES = join(import.meta.dirname, '../../../.cache/samples');
const available = await fs.stat(join(SAMPLES, '.complete')).then(
  () => true,
  () => false,
);

/**
 * Where our content detector and ExifTool's FileType disagree on purpose. ExifTool weighs the
 * extension; these are exiv2's crash reproducers and odd sidecars.
 */
const DISAGREEMENTS: Readonly<Record<string, string>> = {
  'exiv2/issue_1821_poc.xmp': 'an xpacket header over garbage: XMP to us, text to ExifTool',
  'exiv2/xmpsdk.xmp': 'a bare rdf:RDF document: XMP to us, text to ExifTool',
  'exiv2/pocIssue283.jpg':
    'a Panasonic TIFF magic without the RW2 signature: unknown to us, TIFF to ExifTool',
};

describe.runIf(prerequisite('real camera samples (bash scripts/fetch-samples.sh)', available))(
  'real camera files (exiftool t/images, exiv2 test/data)',
  () => {
    const exiftool = createExifTool();
    const reader = new ExifToolMetadataReader(exiftool);
    let dir: string;
    let catalog: Catalog;
    let done: IngestDoneEvent;
    const index: IndexEvent[] = [];
    const files: string[] = [];
    /** Every file of the folder, the licence notes included. */
    let everything = 0;

    beforeAll(async () => {
      for (const sub of ['exiftool', 'exiv2'])
        for (const name of await fs.readdir(join(SAMPLES, sub)))
          if (!/^(COPYING|SOURCES)/.test(name)) files.push(`${sub}/${name}`);
      everything = (await fs.readdir(SAMPLES, { recursive: true, withFileTypes: true })).filter(
        (d) => d.isFile(),
      ).length;
      dir = await fs.mkdtemp(join(tmpdir(), 'fb-samples-'));
      await initVault(join(dir, 'a'));
      await initVault(join(dir, 'b'));
      catalog = await Catalog.open(join(dir, 'home'));
      const indexer = new MetadataIndexer({ catalog, reader, onEvent: (e) => index.push(e) });
      done = await ingest({
        source: new FolderSource(SAMPLES),
        vaults: [join(dir, 'a'), join(dir, 'b')],
        catalog,
        indexer,
      });
      await indexer.drain();
    }, 300_000);
    afterAll(async () => {
      await exiftool.end();
      await catalog?.close();
      await fs.rm(dir, { recursive: true, force: true });
    });

    it('detects each format as ExifTool does (but for the listed, explained cases)', async () => {
      expect(files.length).toBeGreaterThan(250);
      const differ: string[] = [];
      for (const f of files) {
        const raw = await exiftool.readRaw(join(SAMPLES, f), {
          readArgs: ['-FileType', '-Error'],
          useMWG: false,
        });
        if (raw.Error !== undefined) continue;
        const theirs = String(raw.FileType ?? '').replace(/ \(.*\)$/, '');
        const ours = (await detectFile(join(SAMPLES, f))).format;
        if (theirs !== ours && (theirs in FORMATS || ours in FORMATS)) differ.push(f);
      }
      expect(differ.sort()).toEqual(Object.keys(DISAGREEMENTS).sort());
    });

    it('backs up every sample and indexes every one, the crash reproducers flagged', () => {
      expect(done).toMatchObject({ files: everything, failed: 0, exitCode: 0 });
      const summary = index.at(-1);
      expect(summary).toMatchObject({ event: 'indexed', files: everything });
      const s = summary as Extract<IndexEvent, { event: 'indexed' }>;
      expect(s.ok + s.partial + s.unreadable).toBe(s.files);
      expect(s.ok).toBeGreaterThan(150);
      expect(search(catalog, '', { limit: 0 }).total).toBe(s.captures);
      expect(search(catalog, 'format:CR3 camera:"EOS R6"').total).toBe(1);
      expect(search(catalog, 'format:HEIF camera:ILCE-1').total).toBe(1);
    });

    it('restores every one byte-exact with the same ExifTool output', async () => {
      const to = join(dir, 'restored');
      const problems: unknown[] = [];
      const result = await restore({
        catalog,
        to,
        reader,
        onEvent: (e) => e.event === 'error' && problems.push(e),
      });
      expect(problems).toEqual([]);
      expect(result).toMatchObject({ failed: 0, mismatched: 0, exitCode: 0, restored: everything });
      for (const f of files)
        expect({
          f,
          same: (await fs.readFile(join(SAMPLES, f))).equals(
            await fs.readFile(join(to, 'samples', f)),
          ),
        }).toEqual({ f, same: true });
    });
  },
);
