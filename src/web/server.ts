import Fastify, { type FastifyInstance } from 'fastify';
import { CaptureStore } from '../catalog/index.js';
import { searchCaptures } from '../restore/index.js';
import { errorMessage, FieldBackupError } from '../core/index.js';
import { builtFiles } from './built-files.js';
import { CaptureEditor } from './capture-editor.js';
import { PairingCodes } from './pairing.js';
import { RateLimiter } from './rate-limit.js';
import { registerActionRoutes } from './routes-actions.js';
import { registerBrowseRoutes } from './routes-browse.js';
import { registerStatusRoutes } from './routes-status.js';
import { SECURITY_HEADERS } from './security.js';
import { Sessions } from './sessions.js';
import { loadAssets } from './static-assets.js';
import { Thumbnails } from './thumbnails.js';
import type { WebContext, WebServerOptions } from './web-context.js';

export type { WebContext, WebServerOptions } from './web-context.js';

/** Requests carry at most this much: an edit is a few dozen bytes. */
export const BODY_LIMIT = 4096;

/**
 * The box's web page: live status for anyone on the configured interfaces, browsing and culling
 * for a paired phone. One Fastify instance per listen address (each bound exactly there).
 */
export class WebServer {
  private readonly apps: FastifyInstance[] = [];
  private constructor(readonly context: WebContext) {}

  static async create(options: WebServerOptions): Promise<WebServer> {
    const { clock } = options;
    const thumbnails = new Thumbnails({
      catalog: options.catalog,
      vaults: options.vaults,
      logger: options.logger,
      ...(options.thumbWorker === undefined ? {} : { workerScript: options.thumbWorker }),
    });
    const assets = await loadAssets(options.assetsDir ?? builtFiles.assetsDir()).catch(
      (err: unknown) => {
        throw new FieldBackupError(
          'E_CONFIG',
          `the web page is not built (npm run build): ${errorMessage(err)}`,
        );
      },
    );
    return new WebServer({
      options,
      sessions: new Sessions(clock, options.config.sessionMinutes * 60_000),
      pairing: options.pairing ?? new PairingCodes(clock),
      thumbnails,
      editor: new CaptureEditor(options.catalog, options.vaults, clock, options.logger),
      assets,
      limits: {
        any: new RateLimiter(clock, 1200, 60_000),
        login: new RateLimiter(clock, 10, 60_000),
        change: new RateLimiter(clock, 120, 60_000),
      },
    });
  }

  /** Binds every configured address; returns the page's URLs. */
  async listen(): Promise<string[]> {
    const urls: string[] = [];
    for (const host of this.context.options.config.listen) {
      const app = this.build();
      this.apps.push(app);
      await app.listen({ host, port: this.context.options.config.port });
      const address = app.server.address();
      const port =
        typeof address === 'object' && address !== null
          ? address.port
          : this.context.options.config.port;
      urls.push(`http://${host.includes(':') ? `[${host}]` : host}:${port}/`);
    }
    this.context.options.logger.log('info', 'web page listening', { urls });
    const prefetch = this.context.options.prefetch ?? 500;
    if (prefetch > 0) void this.prefetch(prefetch);
    return urls;
  }

  /** One app, not listening (tests inject requests into it). */
  build(): FastifyInstance {
    const app = Fastify({
      logger: false,
      bodyLimit: BODY_LIMIT,
      routerOptions: { maxParamLength: 100 },
      connectionTimeout: 30_000,
      requestTimeout: 30_000,
      trustProxy: false,
      return503OnClosing: true,
    });
    const { limits, options } = this.context;
    app.addHook('onRequest', async (request, reply) => {
      for (const [name, value] of Object.entries(SECURITY_HEADERS)) void reply.header(name, value);
      if (!limits.any.take(request.ip)) {
        return reply
          .code(429)
          .header('retry-after', String(limits.any.retryAfterSeconds(request.ip)))
          .send({ error: 'Too many requests: wait a moment.' });
      }
    });
    // Method, route and outcome only: never a header, a body or a query (no cookie, code or password).
    app.addHook('onResponse', async (request, reply) => {
      options.logger.log('debug', 'web request', {
        method: request.method,
        route: request.routeOptions.url ?? 'unmatched',
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime),
      });
    });
    app.setErrorHandler((err: Error & { statusCode?: number }, request, reply) => {
      const status = err.statusCode ?? 500;
      if (status >= 500)
        options.logger.log('error', 'web request failed', {
          route: request.routeOptions.url ?? 'unmatched',
          error: errorMessage(err),
        });
      const message =
        status === 413
          ? 'Request too large.'
          : status >= 500
            ? 'Something went wrong on the box; it is in the log.'
            : 'Bad request.';
      return reply.code(status).send({ error: message });
    });
    app.setNotFoundHandler((_request, reply) => reply.code(404).send({ error: 'Not found.' }));
    registerStatusRoutes(app, this.context);
    registerBrowseRoutes(app, this.context);
    registerActionRoutes(app, this.context);
    return app;
  }

  async close(): Promise<void> {
    await Promise.all(this.apps.map((a) => a.close()));
    this.apps.length = 0;
    await this.context.thumbnails.close();
  }

  private async prefetch(count: number): Promise<void> {
    try {
      const result = searchCaptures(new CaptureStore(this.context.options.catalog), '', {
        limit: count,
        order: 'desc',
      });
      await this.context.thumbnails.prefetch(result.captures);
    } catch (err) {
      this.context.options.logger.log('warn', 'thumbnail prefetch failed', {
        error: errorMessage(err),
      });
    }
  }
}
