import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { CaptureStore } from '../catalog/index.js';
import { errorMessage, FieldBackupError } from '../core/index.js';
import { tileOf } from './gallery.js';
import { CaptureEditStore } from '../catalog/index.js';
import {
  authorize,
  CLEARED_COOKIE,
  cookieValue,
  refuse,
  SESSION_COOKIE,
  sessionCookie,
} from './security.js';
import type { WebContext } from './web-context.js';
import { sameSecret } from './sessions.js';
import { LABELS } from './xmp-sidecar.js';

const pairBody = z.strictObject({
  code: z.string().max(32).optional(),
  password: z.string().max(256).optional(),
});

const editBody = z
  .strictObject({
    rating: z.number().int().min(0).max(5).optional(),
    label: z.enum(['', ...LABELS]).optional(),
    flag: z.enum(['pick', 'reject', 'none']).optional(),
  })
  .refine((e) => e.rating !== undefined || e.label !== undefined || e.flag !== undefined, {
    message: 'nothing to change',
  });

/** Pairing and changes: each change needs a session, its CSRF token and stays under a rate limit. */
export function registerActionRoutes(app: FastifyInstance, context: WebContext): void {
  const { sessions, pairing, limits, editor, options } = context;
  const captures = new CaptureStore(options.catalog);
  const edits = new CaptureEditStore(options.catalog);

  app.get('/api/session', (request, reply) => {
    const session = sessions.get(cookieValue(request, SESSION_COOKIE));
    return reply.send({
      paired: session !== undefined,
      ...(session === undefined ? {} : { csrf: session.csrf }),
      password: options.config.password !== undefined,
    });
  });

  app.post('/api/session', async (request, reply) => {
    if (!limits.login.take(request.ip))
      return reply
        .code(429)
        .header('retry-after', String(limits.login.retryAfterSeconds(request.ip)))
        .send({ error: 'Too many pairing attempts: wait a minute.' });
    const body = pairBody.safeParse(request.body);
    if (!body.success)
      return reply.code(400).send({ error: 'Send {"code": "123456"} or {"password": "…"}.' });
    const { code, password } = body.data;
    const configured = options.config.password;
    const ok =
      (code !== undefined && pairing.redeem(code)) ||
      (password !== undefined && configured !== undefined && sameSecret(password, configured));
    if (!ok) {
      options.logger.log('warn', 'pairing refused', { client: request.ip });
      return reply
        .code(401)
        .send({ error: 'Wrong or expired code: look at the box’s screen again.' });
    }
    const session = sessions.create();
    options.logger.log('info', 'device paired', { client: request.ip });
    return reply
      .header('set-cookie', sessionCookie(session.token, options.config.sessionMinutes * 60))
      .send({ paired: true, csrf: session.csrf });
  });

  app.delete('/api/session', async (request, reply) => {
    const auth = authorize(request, sessions);
    if ('status' in auth) return refuse(reply, auth);
    sessions.end(auth.session.token);
    return reply.header('set-cookie', CLEARED_COOKIE).send({ paired: false });
  });

  app.post('/api/captures/:id/edit', async (request, reply) => {
    const auth = authorize(request, sessions);
    if ('status' in auth) return refuse(reply, auth);
    if (!limits.change.take(request.ip))
      return reply
        .code(429)
        .header('retry-after', String(limits.change.retryAfterSeconds(request.ip)))
        .send({ error: 'Too many changes at once: wait a moment.' });
    const { id } = request.params as { id: string };
    const capture = /^\d{1,9}$/.test(id) ? captures.byDocId(Number(id)) : undefined;
    if (capture === undefined) return reply.code(404).send({ error: 'Not found.' });
    const body = editBody.safeParse(request.body);
    if (!body.success)
      return reply.code(400).send({
        error: `Bad edit: ${body.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ')}`,
      });
    try {
      const outcome = await editor.edit(capture.captureId, body.data);
      const updated = captures.get(capture.captureId);
      if (outcome === undefined || updated === undefined)
        return reply.code(404).send({ error: 'Not found.' });
      return {
        tile: tileOf(updated, edits),
        written: outcome.written,
        failed: outcome.failed,
        copies: outcome.copies,
      };
    } catch (err) {
      if (err instanceof FieldBackupError)
        return reply.code(503).send({ error: errorMessage(err) });
      throw err;
    }
  });
}
