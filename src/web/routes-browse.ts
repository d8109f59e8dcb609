import { createReadStream } from 'node:fs';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { CaptureStore, type CaptureRecord } from '../catalog/index.js';
import { FieldBackupError } from '../core/index.js';
import { searchCaptures } from '../restore/index.js';
import { captureDetail } from './capture-detail.js';
import { galleryPage, stackPage } from './gallery.js';
import type { WebContext } from './web-context.js';
import { THUMB_PX, type ThumbSize } from './thumbnails.js';

/** Every capture URL names a capture by its number: anything else is not a capture (404). */
const ID = /^\d{1,9}$/;
const MAX_PAGE = 200;
const PREFETCH_AHEAD = 200;

function intParam(value: unknown, fallback: number, max: number): number | undefined {
  if (value === undefined || value === '') return fallback;
  if (typeof value !== 'string' || !/^\d{1,9}$/.test(value)) return undefined;
  return Math.min(Number(value), max);
}

/** Browsing the backup: the gallery, a capture's detail, thumbnails, the front end itself. */
export function registerBrowseRoutes(app: FastifyInstance, context: WebContext): void {
  const { catalog } = context.options;
  const captures = new CaptureStore(catalog);
  const notFound = (reply: FastifyReply): FastifyReply =>
    reply.code(404).send({ error: 'Not found.' });
  const captureOf = (id: string): CaptureRecord | undefined =>
    ID.test(id) ? captures.byDocId(Number(id)) : undefined;

  app.get('/api/captures', async (request, reply) => {
    const q = request.query as Record<string, unknown>;
    const query = typeof q['q'] === 'string' ? q['q'].slice(0, 500) : '';
    const offset = intParam(q['offset'], 0, 1e9);
    const limit = intParam(q['limit'], 60, MAX_PAGE);
    if (offset === undefined || limit === undefined || limit === 0)
      return reply.code(400).send({ error: 'offset and limit are whole numbers (limit 1–200).' });
    try {
      const page = galleryPage(catalog, { query, offset, limit });
      // The next screens' thumbnails, in the background, while this one is looked at.
      const more = searchCaptures(captures, query, {
        offset,
        limit: (page.next ?? offset) - offset + PREFETCH_AHEAD,
        order: 'desc',
      });
      void context.thumbnails.prefetch(more.captures);
      return page;
    } catch (err) {
      if (err instanceof FieldBackupError && err.code === 'E_QUERY')
        return reply.code(400).send({ error: err.message });
      throw err;
    }
  });

  app.get('/api/stacks/:id', async (request, reply) => {
    const page = stackPage(catalog, (request.params as { id: string }).id);
    return page === undefined ? notFound(reply) : page;
  });

  app.get('/api/captures/:id', async (request, reply) => {
    const capture = captureOf((request.params as { id: string }).id);
    return capture === undefined ? notFound(reply) : captureDetail(catalog, capture);
  });

  app.get('/thumbs/:id/:size', async (request, reply) => {
    const { id, size } = request.params as { id: string; size: string };
    const name = /^(small|large)\.jpg$/.exec(size)?.[1] as ThumbSize | undefined;
    const capture = captureOf(id);
    if (capture === undefined || name === undefined || THUMB_PX[name] === undefined)
      return notFound(reply);
    const path = await context.thumbnails.get(capture, name);
    if (path === undefined) return notFound(reply);
    return reply
      .type('image/jpeg')
      .header('cache-control', 'private, max-age=3600')
      .send(createReadStream(path));
  });

  app.get('/*', async (request, reply) => {
    const url = request.url.split('?')[0] ?? '/';
    const asset = context.assets.get(url === '/' ? '/index.html' : url);
    if (asset === undefined) return notFound(reply);
    return reply
      .type(asset.type)
      .header('cache-control', asset.immutable ? 'public, max-age=31536000, immutable' : 'no-cache')
      .send(asset.body);
  });
}
