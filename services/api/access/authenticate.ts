import type { FastifyRequest } from 'fastify';
import { isCompanyId } from '../../ingest/normalize/identifiers.js';
import { ROLES, type Role, type TokenRefusal, type TokenStore } from '../../state/tokens.js';
import { ApiError } from '../errors.js';
import { normalAddress, type AuthOptions } from './auth-options.js';
import type { Caller } from './caller-identity.js';

/** Finds who is calling, or throws a 401 `unauthorized` saying why (never which part of a secret was wrong). */
export type Authenticator = (req: FastifyRequest) => Promise<Caller>;

const LOCAL: Caller = { id: 'local', role: 'admin' };

const REFUSALS: Record<TokenRefusal, string> = {
  malformed: 'the bearer token is not an avlog token (avlog_<id>_<secret>)',
  unknown: 'the bearer token is not valid',
  expired: 'the bearer token has expired',
  revoked: 'the bearer token has been revoked',
};

export function unauthorized(message: string): ApiError {
  return new ApiError('unauthorized', message);
}

/** The token of `Authorization: Bearer …`; undefined when there is none. */
export function bearerOf(req: FastifyRequest): string | undefined {
  const header = req.headers.authorization;
  if (header === undefined) return undefined;
  const m = /^Bearer\s+(\S+)\s*$/iu.exec(header);
  if (!m?.[1]) throw unauthorized('the Authorization header must be "Bearer <token>"');
  return m[1];
}

/** A grant's role and company as a caller, checked (a company id where one belongs, none where it does not). */
export function callerOfGrant(id: string, role: unknown, company: unknown, source: string): Caller {
  if (typeof role !== 'string' || !(ROLES as readonly string[]).includes(role))
    throw unauthorized(`${source}: role must be one of ${ROLES.join(', ')}`);
  const r = role as Role;
  const hasCompany = typeof company === 'string' && company.length > 0;
  if (company !== undefined && company !== null && !(hasCompany && isCompanyId(company)))
    throw unauthorized(`${source}: the company is not a company id`);
  if (r === 'engineer') {
    if (!hasCompany) throw unauthorized(`${source}: an engineer needs a company`);
    return { id, role: r, company };
  }
  if (r === 'public') return hasCompany ? { id, role: r, company } : { id, role: r };
  if (hasCompany) throw unauthorized(`${source}: a ${r} sees every company and takes no company`);
  return { id, role: r };
}

function header(req: FastifyRequest, name: string): string | undefined {
  const v = req.headers[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || v.trim() === '') throw unauthorized(`${name} is empty or repeated`);
  return v.trim();
}

/**
 * `proxy`: the headers an authenticating proxy sets — `x-avlog-role` (admin, engineer, regulator, public),
 * `x-avlog-company`, optionally `x-avlog-user` — believed only from a trusted proxy address. Fail-closed: no
 * headers, an empty or malformed one, or another address → 401. `x-avlog-company` alone means an engineer.
 */
function proxyAuthenticator(trusted: readonly string[]): Authenticator {
  const allowed = new Set(trusted.map(normalAddress));
  return async (req) => {
    const from = normalAddress(req.socket.remoteAddress ?? '');
    if (!allowed.has(from))
      throw unauthorized(`requests must come through the trusted proxy (this one came from ${from})`);
    const role = header(req, 'x-avlog-role');
    const company = header(req, 'x-avlog-company');
    if (role === undefined && company === undefined)
      throw unauthorized('the proxy sent no x-avlog-role or x-avlog-company header');
    const user = header(req, 'x-avlog-user');
    return callerOfGrant(
      `proxy:${user ?? company ?? role ?? ''}`,
      role ?? 'engineer',
      company,
      'proxy headers (x-avlog-role, x-avlog-company)',
    );
  };
}

function tokenAuthenticator(tokens: TokenStore): Authenticator {
  return async (req) => {
    const token = bearerOf(req);
    if (token === undefined) throw unauthorized('no credential: send Authorization: Bearer <token>');
    const grant = await tokens.verify(token);
    if (typeof grant === 'string') throw unauthorized(REFUSALS[grant]);
    return callerOfGrant(`token:${grant.id}`, grant.role, grant.company, `token ${grant.id}`);
  };
}

export interface AuthenticatorDeps {
  tokens?: TokenStore | undefined;
  oidc?: Authenticator | undefined;
}

export function authenticatorFor(auth: AuthOptions, deps: AuthenticatorDeps): Authenticator {
  switch (auth.mode) {
    case 'none':
      return async () => LOCAL;
    case 'proxy':
      return proxyAuthenticator(auth.trustedProxies);
    case 'tokens':
      if (!deps.tokens) throw new Error('--auth tokens needs the state database');
      return tokenAuthenticator(deps.tokens);
    case 'oidc':
      if (!deps.oidc) throw new Error('--auth oidc needs its verifier');
      return deps.oidc;
  }
}
