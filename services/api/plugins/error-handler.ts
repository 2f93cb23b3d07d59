import type { FastifyError, FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { GateFull } from '../../core/gate.js';
import { ApiError, API_ERRORS } from '../errors.js';

interface ValidationItem {
  instancePath?: string;
  params?: Record<string, unknown>;
  message?: string;
}

/** Names the parameter a schema validation error is about: `from`, `group_by`, `body.sql`, … */
function parameterOf(err: FastifyError): string | undefined {
  const v = (err.validation as ValidationItem[] | undefined)?.[0];
  if (!v) return undefined;
  const missing = v.params?.missingProperty ?? v.params?.additionalProperty;
  const pathPart = (v.instancePath ?? '').replace(/^\//u, '').replaceAll('/', '.');
  const name = [pathPart, typeof missing === 'string' ? missing : ''].filter(Boolean).join('.');
  return name || undefined;
}

/** One shape for every error; 5xx never carry internals. */
export default fp(
  async function errorHandler(app: FastifyInstance) {
    app.setErrorHandler((err: FastifyError, req, reply) => {
      if (err instanceof GateFull) {
        return reply
          .status(429)
          .header('retry-after', String(err.retryAfterS))
          .send({ error: { code: 'busy', message: err.message } });
      }
      if (err instanceof ApiError) {
        if (err.retryAfterS !== undefined) reply.header('retry-after', String(err.retryAfterS));
        return reply.status(err.status).send({
          error: { code: err.code, message: err.message, ...(err.parameter ? { parameter: err.parameter } : {}) },
        });
      }
      if (err.validation) {
        const parameter = parameterOf(err);
        const where = err.validationContext ?? 'request';
        const v = (err.validation as ValidationItem[])[0];
        const message = `${where} parameter ${parameter ?? ''} ${v?.message ?? 'is invalid'}`
          .replace(/\s+/gu, ' ')
          .trim();
        return reply
          .status(400)
          .send({ error: { code: 'bad_parameter', message, ...(parameter ? { parameter } : {}) } });
      }
      const status = err.statusCode ?? 500;
      if (status === 413) return reply.status(413).send({ error: { code: 'payload_too_large', message: err.message } });
      if (status === 415)
        return reply.status(415).send({ error: { code: 'unsupported_media_type', message: err.message } });
      if (status >= 400 && status < 500)
        return reply.status(status).send({ error: { code: 'bad_parameter', message: err.message } });
      req.log.error({ err }, 'request failed');
      return reply.status(500).send({ error: { code: 'internal', message: API_ERRORS.internal.title } });
    });
    app.setNotFoundHandler((req, reply) =>
      reply
        .status(404)
        .send({ error: { code: 'not_found', message: `no route ${req.method} ${req.url.split('?')[0]}` } }),
    );
  },
  { name: 'avlog-error-handler' },
);
