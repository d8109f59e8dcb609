import type { FastifyInstance } from 'fastify';
import type { WebContext } from './web-context.js';
import type { WebStatus } from './status-view.js';

/** A comment line every so often keeps proxies and phones from closing an idle stream. */
const HEARTBEAT_MS = 25_000;

/** Status: open to anyone who reaches the page (it shows progress, never a secret). */
export function registerStatusRoutes(app: FastifyInstance, context: WebContext): void {
  const { status } = context.options;

  app.get('/api/status', (_request, reply) => reply.send(status.snapshot()));

  // Server-sent events: the whole status on connect and on every change.
  app.get('/api/status/events', (request, reply) => {
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
    const stop = (): void => {
      clearInterval(heartbeat);
      unsubscribe();
    };
    request.raw.once('close', stop);
    app.server.once('close', () => {
      stop();
      out.end();
    });
  });
}
