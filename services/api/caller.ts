import type { FastifyRequest } from 'fastify';
import { isCompanyId } from '../ingest/normalize/identifiers.js';
import { ApiError } from './errors.js';
import type { Scope } from './lake/scope.js';

/**
 * Who the caller is. avlog trusts an authenticating proxy in front of it to set `x-avlog-company` (an engineer
 * of that company) or `x-avlog-role: regulator`; without either header the caller sees the whole lake
 * (single-tenant deployments, the CLI).
 */
export function scopeOf(req: FastifyRequest): Scope {
  const company = req.headers['x-avlog-company'];
  if (typeof company === 'string' && company.length) {
    if (!isCompanyId(company)) throw new ApiError('bad_parameter', 'x-avlog-company is not a company id', 'x-avlog-company');
    return { company, role: 'engineer' };
  }
  return { role: req.headers['x-avlog-role'] === 'regulator' ? 'regulator' : 'admin' };
}
