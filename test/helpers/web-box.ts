import * as fs from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExifTool } from 'exiftool-vendored';
import { generateShoot, type ShootFile } from '../../fixtures/index.js';
import {
  Catalog,
  CatalogStatusSource,
  createExifTool,
  ExifToolMetadataReader,
  ExifToolPlanTagReader,
  FolderSource,
  ingest,
  initVault,
  MetadataIndexer,
  mountedVaults,
  PairingCodes,
  WebServer,
  webConfigSchema,
  CaptureStore,
  StacksStore,
  type CaptureRecord,
  type IngestDoneEvent,
  type Logger,
  type Source,
  type SourceEntry,
  type WebConfig,
} from '../../src/index.js';

export const WEB_PASSWORD = 'correct horse battery staple';

/** A card of structured RAW+JPEG captures (real embedded previews), two vaults, a catalog. */
export interface WebBox {
  readonly dir: string;
  readonly card: string;
  readonly vaultA: string;
  readonly vaultB: string;
  readonly home: string;
  readonly shoot: readonly ShootFile[];
  readonly catalog: Catalog;
  readonly exiftool: ExifTool;
  /** Everything the server logged, as JSON lines (to look for leaked secrets). */
  readonly logs: string[];
  readonly logger: Logger;
  /** Backs the card up (source wrapped, e.g. slowed) with the metadata indexer. */
  ingest(wrap?: (source: Source) => Source): Promise<IngestDoneEvent>;
  /** A server on 127.0.0.1 (free port); its URL. */
  serve(
    config?: Partial<WebConfig>,
  ): Promise<{ server: WebServer; url: string; pairing: PairingCodes }>;
  close(): Promise<void>;
}

export async function webBox(
  options: { captures?: number; rawBytes?: [number, number] } = {},
): Promise<WebBox> {
  const dir = await fs.mkdtemp(join(tmpdir(), 'fb-web-'));
  const card = join(dir, 'card');
  const [vaultA, vaultB, home] = [join(dir, 'ssd-a'), join(dir, 'ssd-b'), join(dir, 'home')];
  await initVault(vaultA, { label: 'SSD-A' });
  await initVault(vaultB, { label: 'SSD-B' });
  const shoot = await generateShoot(card, {
    seed: 10,
    captures: options.captures ?? 6,
    rawBytes: options.rawBytes ?? [60_000, 120_000],
    jpeg: true,
    structured: true,
  });
  const catalog = await Catalog.open(home);
  const exiftool = createExifTool();
  const logs: string[] = [];
  const logger: Logger = {
    log: (level, message, fields) => logs.push(JSON.stringify({ level, message, ...fields })),
  };
  const servers: WebServer[] = [];
  const clock = { now: () => new Date(), monotonicMs: () => performance.now() };
  return {
    dir,
    card,
    vaultA,
    vaultB,
    home,
    shoot,
    catalog,
    exiftool,
    logs,
    logger,
    async ingest(wrap = (s) => s) {
      const indexer = new MetadataIndexer({
        catalog,
        reader: new ExifToolMetadataReader(exiftool),
      });
      const done = await ingest({
        source: wrap(new FolderSource(card)),
        vaults: [vaultA, vaultB],
        catalog,
        tags: new ExifToolPlanTagReader(exiftool),
        indexer,
      });
      await indexer.drain();
      return done;
    },
    async serve(config = {}) {
      const pairing = new PairingCodes(clock);
      const { vaults } = await mountedVaults([vaultA, vaultB]);
      const server = await WebServer.create({
        config: webConfigSchema.parse({
          listen: ['127.0.0.1'],
          port: 0,
          password: WEB_PASSWORD,
          ...config,
        }),
        catalog,
        vaults,
        status: new CatalogStatusSource({ catalog, clock, intervalMs: 200 }),
        clock,
        logger,
        pairing,
        prefetch: 0,
      });
      servers.push(server);
      const [url] = await server.listen();
      return { server, url: url!, pairing };
    },
    async close() {
      for (const s of servers) await s.close();
      await exiftool.end();
      await catalog.close();
      await fs.rm(dir, { recursive: true, force: true });
    },
  };
}

/** A card that takes `delayMs` before each file: slow enough for a page to watch it. */
export function slowSource(source: Source, delayMs: number): Source {
  return {
    kind: source.kind,
    identify: () => source.identify(),
    entries: (onWarning) => source.entries(onWarning),
    async *read(entry: SourceEntry, signal?: AbortSignal) {
      await new Promise((done) => setTimeout(done, delayMs));
      yield* source.read(entry, signal);
    },
    ...(source.localPath === undefined
      ? {}
      : { localPath: (e: SourceEntry) => source.localPath!(e) }),
  };
}

/** A paired client: its cookie and CSRF token. */
export async function pair(
  url: string,
  secret: { code?: string; password?: string },
): Promise<{ cookie: string; csrf: string }> {
  const response = await fetch(new URL('/api/session', url), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(secret),
  });
  if (response.status !== 200)
    throw new Error(`pairing failed: ${response.status} ${await response.text()}`);
  const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0]!;
  const { csrf } = (await response.json()) as { csrf: string };
  return { cookie, csrf };
}

/** An edit (stars, label, pick/reject) as the page sends it, from a paired client. */
export function postEdit(
  url: string,
  session: { cookie: string; csrf: string },
  docId: number,
  body: unknown,
): Promise<Response> {
  return fetch(new URL(`/api/captures/${docId}/edit`, url), {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      cookie: session.cookie,
      'x-csrf-token': session.csrf,
    },
    body: JSON.stringify(body),
  });
}

/**
 * A burst as issue 5's BackgroundStacker records it (the stack, its frames' roles, the `stack`
 * facet), for pages to show: generated frames are not look-alikes the stacker would group.
 * Returns the stack's id as the page names it.
 */
export async function recordBurst(
  catalog: Catalog,
  frames: readonly CaptureRecord[],
): Promise<string> {
  const jobId = catalog.file(frames[0]!.sourceId, frames[0]!.files[0]!.relPath)!.jobId;
  await new StacksStore(catalog).record(
    jobId,
    [
      {
        jobId,
        no: 1,
        kind: 'burst',
        pick: 0,
        frames: frames.map((c) => ({
          captureKey: c.captureKey,
          files: c.files.map((f) => ({ relPath: f.relPath, hash: f.hash })),
        })),
      },
    ],
    { profile: 'test', analysed: frames.length, skipped: 0, at: Date.now() },
  );
  const store = new CaptureStore(catalog);
  for (const [i, c] of frames.entries())
    await store.setFacet(c.captureId, 'stack', i === 0 ? ['burst', 'pick'] : ['burst'], Date.now());
  return `${jobId}:1`;
}
