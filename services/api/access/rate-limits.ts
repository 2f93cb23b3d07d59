import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError } from '../errors.js';

/** Requests per credential per minute on the expensive routes. */
export interface RateLimits {
  sql: number;
  pdf: number;
  upload: number;
}

export const DEFAULT_RATE_LIMITS: RateLimits = { sql: 60, pdf: 10, upload: 30 };

const keyOf = (req: FastifyRequest) => req.caller?.id ?? `ip:${req.ip}`;
const isPdf = (req: FastifyRequest) => (req.query as { format?: unknown } | undefined)?.format === 'pdf';

/**
 * Per-credential limits (`@fastify/rate-limit`, in memory) on `/api/sql`, report PDFs and `/api/ingest`: beyond
 * them a 429 `too_many_requests` with `retry-after` (seconds). Keyed by the authenticated caller, so one token
 * cannot starve the others; checked after authentication (route hooks run after the access hook).
 */
export async function registerRateLimits(app: FastifyInstance, limits: RateLimits): Promise<void> {
  // before the plugin: its own onRoute hook reads the limits these set
  app.addHook('onRoute', (route) => {
    const url = route.url;
    if (url.startsWith('/api/sql'))
      route.config = { ...route.config, rateLimit: { max: limits.sql, timeWindow: 60_000 } };
    else if (url.startsWith('/api/ingest'))
      route.config = { ...route.config, rateLimit: { max: limits.upload, timeWindow: 60_000 } };
    else if (url.startsWith('/api/reports/:'))
      route.config = {
        ...route.config,
        rateLimit: {
          // other formats are cheap: a limit only PDFs reach in practice
          max: (req) => (isPdf(req) ? limits.pdf : 100 * limits.pdf),
          groupId: 'reports',
          timeWindow: 60_000,
        },
      };
  });
  await app.register(rateLimit, {
    global: false,
    keyGenerator: keyOf,
    errorResponseBuilder: (_req, ctx) =>
      new ApiError(
        'too_many_requests',
        `at most ${ctx.max} of these requests a minute per credential; retry in ${ctx.after}`,
      ),
  });
}
