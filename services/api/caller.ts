import type { FastifyRequest } from 'fastify';
import { ApiError } from './errors.js';
import type { Scope } from '../lake/scope.js';
import type { Caller } from './access/caller-identity.js';

/**
 * Who the caller is, as the access hook (`access/access.ts`) authenticated it for this route: its role and company
 * scope the lake's answers. A route whose policy needs no caller has none (a programming error to ask).
 */
export function callerOf(req: FastifyRequest): Caller {
  if (!req.caller) throw new Error(`${req.method} ${req.routeOptions.url ?? req.url}: no authenticated caller`);
  return req.caller;
}

/** The scope of a route that serves full-precision data: public map viewers are refused (403). */
export function scopeOf(req: FastifyRequest): Scope {
  const scope = callerOf(req);
  if (scope.role === 'public') {
    const route = `${req.method} ${req.routeOptions.url ?? req.url.split('?')[0]}`;
    throw new ApiError(
      'forbidden',
      `${route} serves full-precision fleet data, which public map viewers (role public) may not see: they get the coarsened map data under /api/map only`,
    );
  }
  return scope;
}

/** The company a caller may write rows of: its own for an engineer, any (undefined) for an admin. */
export function writeScopeOf(req: FastifyRequest): string | undefined {
  const caller = callerOf(req);
  if (caller.role === 'admin') return undefined;
  if (caller.role === 'engineer' && caller.company) return caller.company;
  throw new ApiError('forbidden', `the ${caller.role} role may not write to the lake`);
}
