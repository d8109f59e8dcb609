import type { FastifyInstance } from 'fastify';
import type { WebContext } from './web-context.js';
import type { WebStatus } from './status-view.js';

/** A comment line every so often keeps proxies and phones from closing an idle stream. */
const HEARTBEAT_MS = 25_000;
/** Pages watching at once (a phone or two, a laptop; not a crowd). */
const MAX_STREAMS = 32;

/** Status: open to anyone who reaches the page (it shows progress, never a secret). */
export function registerStatusRoutes(app: FastifyInstance, context: WebContext): void {
  const { status } = context.options;

  app.get('/api/status', (_request, reply) => reply.send(status.snapshot()));

  // Open streams, ended before the server closes (a phone left on the page must not hold up
  // a shutdown); bounded, since each one costs a subscription.
  const streams = new Set<() => void>();
  app.addHook('preClose', (done) => {
    for (const end of streams) end();
    done();
  });

  // Server-sent events: the whole status on connect and on every change.
  app.get('/api/status/events', (request, reply) => {
    if (streams.size >= MAX_STREAMS)
      return reply.code(503).header('retry-after', '10').send({ error: 'Too many pages open.' });
    reply.hijack();
    const out = reply.raw;
    out.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-content-type-options': 'nosniff',
    });
    const send = (s: WebStatus): void => {
      out.write(`event: status\ndata: ${JSON.stringify(s)}\n\n`);
    };
    send(status.snapshot());
    const unsubscribe = status.subscribe(send);
    const heartbeat = setInterval(() => out.write(': still here\n\n'), HEARTBEAT_MS);
    const end = (): void => {
      if (!streams.delete(end)) return;
      clearInterval(heartbeat);
      unsubscribe();
      out.end();
    };
    streams.add(end);
    request.raw.once('close', end);
    return reply;
  });
}
