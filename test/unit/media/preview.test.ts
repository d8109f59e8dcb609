import * as fs from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateMediaSet, seededBytes, type MediaFixture } from '../../../fixtures/index.js';
import { createExifTool, extractPreview } from '../../../src/index.js';

let dir: string;
let fixtures: MediaFixture[];
const exiftool = createExifTool();

beforeAll(async () => {
  dir = await fs.mkdtemp(join(tmpdir(), 'fb-preview-'));
  fixtures = await generateMediaSet(dir);
});
afterAll(async () => {
  await exiftool.end();
  await fs.rm(dir, { recursive: true, force: true });
});

describe('extractPreview', () => {
  it('finds a picture sharp decodes in every format that carries one, without ExifTool', async () => {
    for (const f of fixtures.filter((x) => x.preview)) {
      const p = await extractPreview(join(dir, f.relPath));
      expect({ file: f.relPath, found: p !== undefined }).toEqual({ file: f.relPath, found: true });
      const decoded = await sharp(p!.data).raw().toBuffer({ resolveWithObject: true });
      expect(decoded.info.width).toBe(p!.width);
      // The largest embedded picture wins over the 160×120 thumbnail, where there is one.
      const expected = ['MP4', 'THM'].includes(f.format)
        ? 160
        : f.format === 'TIFF'
          ? 48
          : f.format === 'PNG'
            ? 64
            : 320;
      expect({ file: f.relPath, width: p!.width }).toEqual({ file: f.relPath, width: expected });
      expect(p!.source).toBe(
        ['JPEG', 'THM', 'PNG', 'TIFF'].includes(f.format) ? 'file' : 'embedded',
      );
    }
  });

  it('returns undefined for files without a picture (AVCHD, voice memos, sidecars, unknown bytes)', async () => {
    for (const f of fixtures.filter((x) => !x.preview))
      expect(await extractPreview(join(dir, f.relPath), { exiftool })).toBeUndefined();
    const noise = join(dir, 'noise.bin');
    await fs.writeFile(noise, seededBytes('noise', 10_000));
    expect(await extractPreview(noise, { exiftool })).toBeUndefined();
  });

  it('falls back to ExifTool for structures our parsers do not know', async () => {
    // A JPEG hidden in a PSD-style Photoshop resource: only ExifTool's ThumbnailImage finds it.
    const jpeg = await fs.readFile(join(dir, 'DCIM/100CANON/MVI_0005.THM'));
    const block = Buffer.alloc(12 + 28);
    block.write('8BIM', 0, 'latin1');
    block.writeUInt16BE(0x040c, 4);
    block.writeUInt32BE(28 + jpeg.length, 8);
    block.writeUInt32BE(1, 12);
    block.writeUInt32BE(160, 16);
    block.writeUInt32BE(120, 20);
    const resources = Buffer.concat([block, jpeg, Buffer.alloc(jpeg.length % 2)]);
    const header = Buffer.alloc(26);
    header.write('8BPS', 0, 'latin1');
    header.writeUInt16BE(1, 4);
    header.writeUInt16BE(3, 12);
    header.writeUInt32BE(120, 14);
    header.writeUInt32BE(160, 18);
    header.writeUInt16BE(8, 22);
    header.writeUInt16BE(3, 24);
    const len = (n: number): Buffer => {
      const b = Buffer.alloc(4);
      b.writeUInt32BE(n);
      return b;
    };
    const psd = Buffer.concat([
      header,
      len(0),
      len(resources.length),
      resources,
      len(0),
      Buffer.alloc(2),
    ]);
    const path = join(dir, 'thumb.psd');
    await fs.writeFile(path, psd);
    expect(await extractPreview(path)).toBeUndefined();
    const p = await extractPreview(path, { exiftool });
    expect(p).toMatchObject({ source: 'exiftool', width: 160, height: 120, encoding: 'jpeg' });
  });

  it('skips candidates larger than maxBytes', async () => {
    expect(
      await extractPreview(join(dir, 'DCIM/100NIKON/DSC_0007.NEF'), { maxBytes: 100 }),
    ).toBeUndefined();
  });
});
