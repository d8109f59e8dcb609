import * as fs from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateMediaSet, seededBytes, type MediaFixture } from '../../../fixtures/index.js';
import {
  bufferReader,
  createExifTool,
  detectFile,
  detectFormat,
  FORMATS,
} from '../../../src/index.js';
import { tempDir } from '../../helpers/tmp.js';

let dir: string;
let fixtures: MediaFixture[];
const exiftool = createExifTool();

beforeAll(async () => {
  dir = await fs.mkdtemp(join(tmpdir(), 'fb-formats-'));
  fixtures = await generateMediaSet(dir);
});
afterAll(async () => {
  await exiftool.end();
  await fs.rm(dir, { recursive: true, force: true });
});

describe('detectFormat on the generated fixtures', () => {
  it('covers every format of the issue', () => {
    expect(new Set(fixtures.map((f) => f.format))).toEqual(
      new Set(Object.keys(FORMATS).filter((f) => f !== 'HEIC')),
    );
  });

  it('names each file as ExifTool does, and reads the make from TIFF-based raws', async () => {
    for (const f of fixtures) {
      const path = join(dir, f.relPath);
      const detected = await detectFile(path);
      const et = await exiftool.readRaw(path, { readArgs: ['-FileType', '-Make'], useMWG: false });
      expect({ file: f.relPath, ours: detected.format }).toEqual({
        file: f.relPath,
        ours: f.format,
      });
      expect({ file: f.relPath, exiftool: et.FileType }).toEqual({
        file: f.relPath,
        exiftool: f.exiftoolType,
      });
      expect({ file: f.relPath, make: String(et.Make) }).toEqual({ file: f.relPath, make: f.make });
      if ('make' in detected && detected.make !== undefined) expect(detected.make).toBe(f.make);
    }
  });

  it('goes by content, not by name: a NEF named .JPG is a NEF, a CR3 named .MP4 a CR3', async () => {
    const d = await tempDir();
    for (const [from, to, format] of [
      ['DCIM/100NIKON/DSC_0007.NEF', 'renamed.JPG', 'NEF'],
      ['DCIM/100CANON/IMG_0002.CR3', 'renamed.MP4', 'CR3'],
      ['DCIM/100MSDCF/DSC00011.SR2', 'renamed.ARW', 'SR2'],
      ['DCIM/100_FUJI/DSCF0015.RAF', 'no-extension', 'RAF'],
    ] as const) {
      await fs.copyFile(join(dir, from), join(d, to));
      expect((await detectFile(join(d, to))).format).toBe(format);
    }
  });
});

describe('detectFormat edge cases', () => {
  const detect = (bytes: Buffer, name?: string) => detectFormat(bufferReader(bytes), name);

  it('says unknown, with why, for empty files, random bytes and broken TIFF headers', async () => {
    expect(await detect(Buffer.alloc(0))).toEqual({
      format: 'unknown',
      kind: 'unknown',
      detail: 'empty file',
    });
    expect((await detect(seededBytes('random', 4096))).format).toBe('unknown');
    expect(await detect(Buffer.from('II*\0\xff\xff\xff\x7f', 'latin1'))).toMatchObject({
      format: 'TIFF',
      detail: 'IFD0 unreadable',
    });
    expect(await detect(Buffer.from('IIU\0\x08\0\0\0', 'latin1'))).toMatchObject({
      format: 'unknown',
    });
    expect(await detect(Buffer.from('II+\0\x08\0\0\0', 'latin1'))).toMatchObject({
      format: 'TIFF',
      detail: 'BigTIFF',
    });
  });

  it('tells a THM from a JPEG only by its name (the bytes are a JPEG)', async () => {
    const jpeg = await fs.readFile(join(dir, 'DCIM/100CANON/MVI_0005.THM'));
    expect((await detect(jpeg, 'MVI_0005.THM')).format).toBe('THM');
    expect((await detect(jpeg, 'MVI_0005.JPG')).format).toBe('JPEG');
  });

  it('recognises XMP packets with or without a BOM, an XML declaration or the xpacket wrapper', async () => {
    for (const text of [
      '\uFEFF<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/"/>',
      '<?xml version="1.0" encoding="UTF-8"?>\n<!-- sidecar -->\n<x:xmpmeta xmlns:x="adobe:ns:meta/"></x:xmpmeta>',
      '   <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"></rdf:RDF>',
    ])
      expect((await detect(Buffer.from(text, 'utf8'))).format).toBe('XMP');
    expect((await detect(Buffer.from('<?xml version="1.0"?><svg/>', 'utf8'))).format).toBe(
      'unknown',
    );
  });

  it('reads ISO-BMFF brands: heic is HEIC, mif1 HEIF, qt MOV, compatible brands decide the rest', async () => {
    const ftyp = (major: string, ...compat: string[]): Buffer => {
      const body = Buffer.concat([
        Buffer.from(major, 'latin1'),
        Buffer.alloc(4),
        ...compat.map((c) => Buffer.from(c, 'latin1')),
      ]);
      const size = Buffer.alloc(4);
      size.writeUInt32BE(body.length + 8);
      return Buffer.concat([size, Buffer.from('ftyp', 'latin1'), body, Buffer.alloc(64)]);
    };
    expect((await detect(ftyp('heic', 'mif1'))).format).toBe('HEIC');
    expect((await detect(ftyp('mif1', 'heic'))).format).toBe('HEIF');
    expect((await detect(ftyp('qt  '))).format).toBe('MOV');
    expect((await detect(ftyp('XAVC', 'XAVC', 'mp42'))).format).toBe('MP4');
    expect((await detect(ftyp('XYZW', 'qt  '))).format).toBe('MOV');
    expect(await detect(ftyp('avif'))).toMatchObject({
      format: 'unknown',
      detail: 'ISO-BMFF brand "avif"',
    });
    expect((await detect(ftyp('crx '))).format).toBe('CR3');
    const oldQuickTime = Buffer.concat([
      Buffer.from([0, 0, 0, 16]),
      Buffer.from('moov', 'latin1'),
      Buffer.alloc(32),
    ]);
    expect((await detect(oldQuickTime)).format).toBe('MOV');
  });

  it('recognises MPEG transport streams with and without BDAV timestamps', async () => {
    const packets = (size: 188 | 192): Buffer => {
      const out = Buffer.alloc(size * 4, 0xff);
      for (let i = 0; i < 4; i++) out[i * size + (size === 192 ? 4 : 0)] = 0x47;
      return out;
    };
    expect(await detect(packets(192))).toMatchObject({ format: 'M2TS', kind: 'video' });
    const m2t = await detect(packets(188));
    expect(m2t.format).toBe('M2TS');
    expect(m2t.detail).toContain('M2T');
  });
});
