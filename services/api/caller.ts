import type { FastifyRequest } from 'fastify';
import { isCompanyId } from '../ingest/normalize/identifiers.js';
import { ApiError } from './errors.js';
import type { Scope } from '../lake/scope.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route serves only coarsened or aggregated data, so a public map viewer may call it. */
    publicView?: boolean;
  }
}

const ROLES = ['regulator', 'public'] as const;

/**
 * Who the caller is. avlog trusts an authenticating proxy in front of it to set `x-avlog-company` (an engineer
 * of that company), `x-avlog-role: regulator`, or `x-avlog-role: public` (a map viewer outside the company and
 * the regulator, with or without a company); without either header the caller sees the whole lake (single-tenant
 * deployments, the CLI). `public` wins over a company: the company then only narrows what the viewer sees.
 */
export function callerOf(req: FastifyRequest): Scope {
  const role = req.headers['x-avlog-role'];
  if (role !== undefined && !(ROLES as readonly unknown[]).includes(role)) {
    throw new ApiError(
      'bad_parameter',
      `x-avlog-role must be one of ${ROLES.join(', ')} (got "${String(role)}")`,
      'x-avlog-role',
    );
  }
  const company = req.headers['x-avlog-company'];
  const hasCompany = typeof company === 'string' && company.length > 0;
  if (hasCompany && !isCompanyId(company))
    throw new ApiError('bad_parameter', 'x-avlog-company is not a company id', 'x-avlog-company');
  if (role === 'public') return hasCompany ? { company, role: 'public' } : { role: 'public' };
  if (hasCompany) return { company, role: 'engineer' };
  return { role: role === 'regulator' ? 'regulator' : 'admin' };
}

/** The scope of a route that serves full-precision data: public map viewers are refused (403). */
export function scopeOf(req: FastifyRequest): Scope {
  const scope = callerOf(req);
  if (scope.role === 'public') throw publicRefused(req);
  return scope;
}

function publicRefused(req: FastifyRequest): ApiError {
  const route = `${req.method} ${req.routeOptions.url ?? req.url.split('?')[0]}`;
  return new ApiError(
    'forbidden',
    `${route} serves full-precision fleet data, which public map viewers (x-avlog-role: public) may not see: they get the coarsened map data under /api/map only`,
  );
}

/**
 * onRequest hook: a public caller reaches only API routes marked `config: { publicView: true }`, so a route that
 * forgets to ask for the caller's scope (or a new one) is closed to the public by default.
 */
export async function publicViewGate(req: FastifyRequest): Promise<void> {
  // The matched route, not req.url: the router decodes the path, so `/%61pi/sql` reaches /api/sql.
  const route = req.routeOptions.url;
  if (route === undefined || !route.startsWith('/api/') || req.routeOptions.config?.publicView === true) return;
  if (callerOf(req).role === 'public') throw publicRefused(req);
}
