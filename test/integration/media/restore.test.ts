import * as fs from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateMediaSet } from '../../../fixtures/index.js';
import {
  Catalog,
  createExifTool,
  ExifToolMetadataReader,
  FolderSource,
  ingest,
  initVault,
  MetadataIndexer,
  MetadataStore,
  readMarker,
  restore,
  type RestoreEvent,
  type SourceId,
} from '../../../src/index.js';
import { tempDir } from '../../helpers/tmp.js';

const exiftool = createExifTool();
const reader = new ExifToolMetadataReader(exiftool);
let dir: string;
let catalog: Catalog;
let vaultA: string;
let vaultB: string;
let sourceId: SourceId;

beforeEach(async () => {
  dir = await tempDir();
  await generateMediaSet(join(dir, 'card'), { only: ['CR2', 'JPEG', 'XMP', 'WAV'] });
  vaultA = join(dir, 'a');
  vaultB = join(dir, 'b');
  await initVault(vaultA, { label: 'SSD-A' });
  await initVault(vaultB, { label: 'SSD-B' });
  catalog = await Catalog.open(join(dir, 'home'));
  const indexer = new MetadataIndexer({ catalog, reader });
  const done = await ingest({
    source: new FolderSource(join(dir, 'card')),
    vaults: [vaultA, vaultB],
    catalog,
    indexer,
  });
  await indexer.drain();
  sourceId = catalog.job(done.jobId)!.sourceId;
});
afterEach(async () => catalog.close());

async function copyOn(vault: string, relPath: string): Promise<string> {
  const hash = catalog.file(sourceId, relPath)!.hash;
  const { id } = await readMarker(vault);
  return join(vault, 'Photos', catalog.object(hash)!.copies[id]!.path);
}

async function run(
  query: string,
  vaults: string[],
): Promise<{ done: RestoreEvent; events: RestoreEvent[]; to: string }> {
  const events: RestoreEvent[] = [];
  const to = join(dir, `out-${Math.random().toString(36).slice(2)}`);
  const done = await restore({
    catalog,
    query,
    to,
    vaults,
    reader,
    onEvent: (e) => events.push(e),
  });
  return { done, events, to };
}

describe('restore falls back to the other vault', () => {
  it('when the preferred vault’s copy is bad: says so, restores from the other, verified', async () => {
    const bad = await copyOn(vaultA, 'DCIM/100CANON/IMG_0001.CR2');
    const bytes = await fs.readFile(bad);
    bytes.writeUInt8(bytes.readUInt8(bytes.length - 10) ^ 0xff, bytes.length - 10);
    await fs.chmod(bad, 0o644);
    await fs.writeFile(bad, bytes);
    const { done, events, to } = await run('format:CR2', [vaultA]);
    expect(done).toMatchObject({ restored: 4, failed: 0, exitCode: 0 });
    const warning = events.find((e) => e.event === 'warning');
    expect(warning).toMatchObject({
      code: 'E_COPY_MISSING',
      vault: 'SSD-A',
      path: 'DCIM/100CANON/IMG_0001.CR2',
    });
    expect((warning as { message: string }).message).toMatch(/reads as .* restored from SSD-B/);
    expect(events.find((e) => e.event === 'file' && e.original.endsWith('.CR2'))).toMatchObject({
      vault: 'SSD-B',
    });
    expect(events.find((e) => e.event === 'file' && e.original.endsWith('.JPG'))).toMatchObject({
      vault: 'SSD-A',
    });
    expect(
      (await fs.readFile(join(to, 'card', 'DCIM/100CANON/IMG_0001.CR2'))).equals(
        await fs.readFile(join(dir, 'card', 'DCIM/100CANON/IMG_0001.CR2')),
      ),
    ).toBe(true);
  });

  it('when the copy is missing, or the vault is not mounted', async () => {
    await fs.rm(await copyOn(vaultA, 'DCIM/100CANON/IMG_0001.XMP'));
    const first = await run('', [vaultA]);
    expect(first.done).toMatchObject({ restored: 4, exitCode: 0 });
    const missing = first.events.find((e) => e.event === 'warning') as { message: string };
    expect(missing.message).toContain('is missing');
    await fs.rename(vaultA, `${vaultA}-unplugged`);
    const second = await run('', []);
    expect(second.done).toMatchObject({ restored: 4, exitCode: 0 });
    expect(
      second.events
        .filter((e) => e.event === 'file')
        .every((e) => e.event === 'file' && e.vault === 'SSD-B'),
    ).toBe(true);
  });

  it('fails the file, not the restore, when no vault has a good copy', async () => {
    for (const v of [vaultA, vaultB]) await fs.rm(await copyOn(v, 'DCIM/100CANON/IMG_0001.WAV'));
    const { done, events } = await run('', [vaultB]);
    expect(done).toMatchObject({ restored: 3, failed: 1, exitCode: 1 });
    expect(events.find((e) => e.event === 'error')).toMatchObject({
      code: 'E_COPY_MISSING',
      path: 'DCIM/100CANON/IMG_0001.WAV',
    });
  });
});

describe('restore compares metadata with the catalog', () => {
  it('reports each tag that differs, as an error', async () => {
    const store = new MetadataStore(catalog);
    const hash = catalog.file(sourceId, 'DCIM/100CANON/IMG_0001.JPG')!.hash;
    const tags = { ...store.tags(hash)!, 'XMP-xmp:Rating': { val: 5 }, 'Made:Up': { val: 'x' } };
    const record = store.get(hash)!;
    await catalog.transaction(() => store.putSync(hash, record, tags));
    const { done, events } = await run('format:JPEG', []);
    expect(done).toMatchObject({ restored: 4, mismatched: 1, exitCode: 1 });
    expect(events.find((e) => e.event === 'error')).toMatchObject({
      code: 'E_RESTORE_MISMATCH',
      tags: ['Made:Up', 'XMP-xmp:Rating'],
    });
  });

  it('re-reads the vault copy instead when the catalog was written by another ExifTool version', async () => {
    const store = new MetadataStore(catalog);
    const hash = catalog.file(sourceId, 'DCIM/100CANON/IMG_0001.JPG')!.hash;
    const record = store.get(hash)!;
    await catalog.transaction(() =>
      store.putSync(hash, { ...record, exiftoolVersion: '12.57' }, { 'Old:Tag': { val: 1 } }),
    );
    const { done } = await run('format:JPEG', []);
    expect(done).toMatchObject({ mismatched: 0, exitCode: 0 });
  });

  it('rejects an unknown vault root and a bad query before writing anything', async () => {
    await expect(run('', [join(dir, 'nowhere')])).rejects.toMatchObject({
      code: 'E_VAULT_MISSING',
    });
    await expect(run('rating>=', [])).rejects.toMatchObject({ code: 'E_QUERY' });
    expect((await fs.readdir(dir)).filter((n) => n.startsWith('out-'))).toEqual([]);
  });
});

afterAll(async () => exiftool.end());
