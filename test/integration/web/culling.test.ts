import { createHash } from 'node:crypto';
import * as fs from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CaptureEditStore,
  CaptureStore,
  search,
  type CaptureRecord,
  type GalleryPage,
  type VaultId,
} from '../../../src/index.js';
import {
  pair,
  postEdit,
  recordBurst,
  WEB_PASSWORD,
  webBox,
  type WebBox,
} from '../../helpers/web-box.js';

let box: WebBox;
let url: string;
let session: { cookie: string; csrf: string };
let captures: CaptureRecord[];

const sha = async (path: string): Promise<string> =>
  createHash('sha256')
    .update(await fs.readFile(path))
    .digest('hex');

beforeAll(async () => {
  box = await webBox({ captures: 6 });
  // The card brought its own sidecar for the second capture: an original like any other file.
  await fs.writeFile(
    join(box.card, 'DCIM/100CANON/IMG_0002.XMP'),
    '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmp:Rating="2"/></rdf:RDF></x:xmpmeta>',
  );
  await box.ingest();
  ({ url } = await box.serve());
  session = await pair(url, { password: WEB_PASSWORD });
  captures = [...search(box.catalog, '', { limit: 0 }).captures];
  for (const root of [box.vaultA, box.vaultB]) vaultIds.set(root, await vaultId(root));
}, 90_000);
afterAll(() => box.close());

const post = (id: number, body: unknown): Promise<Response> => postEdit(url, session, id, body);
const get = async <T>(path: string): Promise<T> =>
  (await (await fetch(new URL(path, url))).json()) as T;

/** The vault copies of a capture's files: path → sha256. */
async function originals(capture: CaptureRecord): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const f of capture.files)
    for (const [vault, copy] of Object.entries(box.catalog.object(f.hash)!.copies)) {
      const root = vault === vaultIds.get(box.vaultA) ? box.vaultA : box.vaultB;
      const path = join(root, 'Photos', copy.path);
      out.set(path, await sha(path));
    }
  return out;
}
const vaultId = async (root: string): Promise<VaultId> =>
  (JSON.parse(await fs.readFile(join(root, 'fieldbackup-vault.json'), 'utf8')) as { id: VaultId })
    .id;

describe('culling from the page', () => {
  it('a pick writes the sidecar on both vaults, raises the capture to critical and leaves the originals alone', async () => {
    const capture = captures.find((c) => /img_0001$/i.test(c.captureKey))!;
    const before = await originals(capture);
    const cardBefore = await sha(join(box.card, 'DCIM/100CANON/IMG_0001.CR2'));
    const response = await post(capture.docId, { flag: 'pick', rating: 5, label: 'Red' });
    expect(response.status).toBe(200);
    const result = (await response.json()) as {
      written: string[];
      tile: { flag: string; tier: string };
    };
    expect(result.written.sort()).toEqual(['SSD-A', 'SSD-B']);
    expect(result.tile).toMatchObject({ flag: 'pick', tier: 'critical', rating: 5, label: 'Red' });
    for (const root of [box.vaultA, box.vaultB]) {
      const xmp = await fs.readFile(join(root, 'Photos', sidecarPathOf(capture, root)!), 'utf8');
      expect(xmp).toContain('xmp:Rating="5"');
      expect(xmp).toContain('xmp:Label="Red"');
      expect(xmp).toContain('xmpDM:good="True"');
      // ExifTool reads it as any photo tool would.
      const tags = await box.exiftool.read(join(root, 'Photos', sidecarPathOf(capture, root)!));
      expect(tags.Rating).toBe(5);
      expect(tags.Label).toBe('Red');
    }
    for (const f of capture.files)
      expect(box.catalog.file(capture.sourceId, f.relPath)?.tier).toBe('critical');
    expect(
      search(box.catalog, 'tier:critical flag:pick rating>=5 label:red').captures.map(
        (c) => c.captureId,
      ),
    ).toEqual([capture.captureId]);
    expect(await originals(capture)).toEqual(before);
    expect(await sha(join(box.card, 'DCIM/100CANON/IMG_0001.CR2'))).toBe(cardBefore);
  });

  it('undoing a pick gives the files their tier back; a reject is rating -1 in XMP and in search', async () => {
    const capture = captures.find((c) => /img_0003$/i.test(c.captureKey))!;
    const tierBefore = box.catalog.file(capture.sourceId, capture.files[0]!.relPath)!.tier;
    expect((await post(capture.docId, { flag: 'pick' })).status).toBe(200);
    expect(box.catalog.file(capture.sourceId, capture.files[0]!.relPath)!.tier).toBe('critical');
    expect((await post(capture.docId, { flag: 'reject' })).status).toBe(200);
    expect(box.catalog.file(capture.sourceId, capture.files[0]!.relPath)!.tier).toBe(tierBefore);
    const xmp = await fs.readFile(
      join(box.vaultB, 'Photos', sidecarPathOf(capture, box.vaultB)!),
      'utf8',
    );
    expect(xmp).toContain('xmp:Rating="-1"');
    expect(xmp).not.toContain('xmpDM:good');
    expect(search(box.catalog, 'rating:rejected').captures.map((c) => c.captureId)).toContain(
      capture.captureId,
    );
    // Un-rejecting brings the camera's stars back (the structured RAW says 3).
    expect((await post(capture.docId, { flag: 'none' })).status).toBe(200);
    expect(new CaptureStore(box.catalog).get(capture.captureId)!.metadata.rating).toBe(3);
  });

  it('never writes over a sidecar the card brought: the edit goes beside it', async () => {
    const capture = captures.find((c) => /img_0002$/i.test(c.captureKey))!;
    const before = await originals(capture);
    expect([...before.keys()].some((p) => p.endsWith('IMG_0002.XMP'))).toBe(true);
    expect((await post(capture.docId, { rating: 4 })).status).toBe(200);
    expect(await originals(capture)).toEqual(before);
    for (const root of [box.vaultA, box.vaultB]) {
      const rel = sidecarPathOf(capture, root)!;
      expect(rel).toMatch(/IMG_0002\.fieldbackup\.xmp$/);
      expect(await fs.readFile(join(root, 'Photos', rel), 'utf8')).toContain('xmp:Rating="4"');
    }
  });

  it('still writes the sidecar on one vault when the other is gone, says so, and catches up later', async () => {
    const capture = captures.find((c) => /img_0004$/i.test(c.captureKey))!;
    const photosB = join(box.vaultB, 'Photos');
    // SSD-B's files vanish (unplugged, its mount point left behind).
    await fs.rename(photosB, `${photosB}.away`);
    try {
      const response = await post(capture.docId, { rating: 2 });
      expect(response.status).toBe(200);
      const result = (await response.json()) as { written: string[]; failed: { vault: string }[] };
      expect(result.written).toEqual(['SSD-A']);
      expect(result.failed.map((f) => f.vault)).toEqual(['SSD-B']);
    } finally {
      await fs.rename(`${photosB}.away`, photosB);
    }
    expect(sidecarPathOf(capture, box.vaultB)).toBeUndefined();
    const again = (await (await post(capture.docId, { label: 'Green' })).json()) as {
      written: string[];
    };
    expect(again.written.sort()).toEqual(['SSD-A', 'SSD-B']);
    const xmp = await fs.readFile(join(photosB, sidecarPathOf(capture, box.vaultB)!), 'utf8');
    expect(xmp).toContain('xmp:Rating="2"');
    expect(xmp).toContain('xmp:Label="Green"');
  });

  it('refuses when no vault can take the sidecar, and changes nothing in the catalog', async () => {
    const capture = captures.find((c) => /img_0006$/i.test(c.captureKey))!;
    const moved = [box.vaultA, box.vaultB].map((r) => join(r, 'Photos'));
    for (const p of moved) await fs.rename(p, `${p}.away`);
    try {
      const response = await post(capture.docId, { flag: 'pick' });
      expect(response.status).toBe(503);
      expect(((await response.json()) as { error: string }).error).toMatch(/SSD-A.*SSD-B/);
    } finally {
      for (const p of moved) await fs.rename(`${p}.away`, p);
    }
    expect(new CaptureEditStore(box.catalog).get(capture.captureId)).toBeUndefined();
    expect(box.catalog.file(capture.sourceId, capture.files[0]!.relPath)!.tier).not.toBe(
      'critical',
    );
  });

  it('gallery: newest first, a filter in the search language, stacks folded into one tile with a count', async () => {
    const burst = captures.filter((c) => /img_000[456]$/i.test(c.captureKey));
    const stackId = await recordBurst(box.catalog, burst);
    const all = await get<GalleryPage>('/api/captures');
    expect(all.total).toBe(6);
    expect(all.tiles).toHaveLength(4);
    const stackTile = all.tiles.find((t) => t.stack !== undefined)!;
    expect(stackTile.stack).toEqual({ id: stackId, kind: 'burst', count: 3 });
    expect(all.tiles.map((t) => t.time)).toEqual(
      [...all.tiles.map((t) => t.time)].sort().reverse(),
    );
    const opened = await get<GalleryPage>(`/api/stacks/${encodeURIComponent(stackId)}`);
    // In capture order, the stacker's pick marked.
    expect(opened.tiles.map((t) => t.name)).toEqual([
      'IMG_0004.CR2',
      'IMG_0005.CR2',
      'IMG_0006.CR2',
    ]);
    expect(opened.tiles.map((t) => t.stackPick === true)).toEqual([true, false, false]);
    expect((await fetch(new URL('/api/stacks/nope:1', url))).status).toBe(404);
    expect((await fetch(new URL('/api/stacks/..%2f..%2fx:1', url))).status).toBe(404);
    const bursts = await get<GalleryPage>(`/api/captures?q=stack:burst`);
    expect(bursts.total).toBe(3);
    expect(bursts.tiles).toHaveLength(1);
    const paged = await get<GalleryPage>('/api/captures?limit=2');
    expect(paged.tiles).toHaveLength(2);
    const rest = await get<GalleryPage>(`/api/captures?limit=10&offset=${paged.next}`);
    expect([...paged.tiles, ...rest.tiles].map((t) => t.id).sort()).toEqual(
      all.tiles.map((t) => t.id).sort(),
    );
    const bad = await fetch(new URL('/api/captures?q=rating>>4', url));
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(/rating/);
  });

  it('detail: time, camera, lens, exposure, keywords; thumbnails from the embedded preview, cached in the vault', async () => {
    const capture = captures.find((c) => /img_0005$/i.test(c.captureKey))!;
    const detail = await get<Record<string, unknown>>(`/api/captures/${capture.docId}`);
    expect(detail).toMatchObject({
      camera: 'Canon EOS R5',
      lens: 'RF100-500mm F4.5-7.1 L IS USM',
      keywords: ['bench'],
    });
    expect(detail['exposure']).toEqual(['1/2000 s', 'f/7.1', 'ISO 1600', '500 mm', '0 EV']);
    expect(String(detail['time'])).toMatch(/^2026-11-20T09:00/);
    for (const [size, px] of [
      ['small', 360],
      ['large', 1600],
    ] as const) {
      const r = await fetch(new URL(`/thumbs/${capture.docId}/${size}.jpg`, url));
      expect(r.status).toBe(200);
      expect(r.headers.get('content-type')).toBe('image/jpeg');
      const meta = await sharp(Buffer.from(await r.arrayBuffer())).metadata();
      expect(meta.format).toBe('jpeg');
      // The structured RAW's preview is 320×213: scaled down, never up.
      expect(Math.max(meta.width, meta.height)).toBeLessThanOrEqual(Math.min(px, 320));
    }
    const cached = await fs.readdir(join(box.vaultA, '.fieldbackup', 'thumbs'), {
      recursive: true,
    });
    expect(cached.some((p) => String(p).endsWith('-small.jpg'))).toBe(true);
  });

  it('status: the finished card, safe to format, live over server-sent events', async () => {
    const status = await get<{
      jobs: { safeToFormat: boolean; verdict: string; files: { done: number; total: number } }[];
    }>('/api/status');
    expect(status.jobs[0]).toMatchObject({ safeToFormat: true, files: { done: 13, total: 13 } });
    expect(status.jobs[0]!.verdict).toMatch(/safe to format/);
    const controller = new AbortController();
    const response = await fetch(new URL('/api/status/events', url), { signal: controller.signal });
    expect(response.headers.get('content-type')).toMatch(/text\/event-stream/);
    const reader = response.body!.getReader();
    let text = '';
    for (let i = 0; i < 20 && !text.includes('\n\n'); i++)
      text += new TextDecoder().decode((await reader.read()).value);
    controller.abort();
    expect(text).toMatch(/^event: status\ndata: \{.*"safeToFormat":true/);
  });

  it('a page left open on the status does not hold up the server’s shutdown', async () => {
    const { server, url: other } = await box.serve();
    const response = await fetch(new URL('/api/status/events', other));
    const reader = response.body!.getReader();
    await reader.read();
    await server.close();
    // The stream ended with the server: the next read is the end, not a wait.
    for (let i = 0; i < 5; i++) if ((await reader.read()).done) return;
    throw new Error('the status stream did not end');
  });
});

const vaultIds = new Map<string, VaultId>();

function sidecarPathOf(capture: CaptureRecord, root: string): string | undefined {
  const record = new CaptureEditStore(box.catalog).get(capture.captureId);
  return record?.sidecars[vaultIds.get(root)!];
}
