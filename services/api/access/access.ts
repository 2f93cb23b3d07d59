import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import { AuditLog } from '../../state/audit.js';
import { TokenStore } from '../../state/tokens.js';
import { ApiError } from '../errors.js';
import type { AuthOptions } from './auth-options.js';
import { authenticatorFor, type Authenticator } from './authenticate.js';
import type { Caller } from './caller-identity.js';
import { oidcAuthenticator } from './oidc.js';
import { POLICIES, type RoutePolicy } from './policies.js';
import { rowsOfPayload } from './response-rows.js';

/** The state the access layer keeps: tokens and the audit log (absent with `--auth none`, a single local user). */
export interface AccessState {
  readonly auth: AuthOptions;
  readonly tokens: TokenStore | undefined;
  readonly audit: AuditLog | undefined;
}

declare module 'fastify' {
  interface FastifyInstance {
    access: AccessState;
  }
  interface FastifyRequest {
    /** Rows in the response body, for the audit log. */
    auditRows?: number;
  }
}

export function forbidden(req: FastifyRequest, caller: Caller, policy: RoutePolicy): ApiError {
  const route = `${req.method} ${req.routeOptions.url ?? req.url.split('?')[0]}`;
  if (caller.role === 'public')
    return new ApiError(
      'forbidden',
      `${route} serves full-precision fleet data, which public map viewers (role public) may not see: they get the coarsened map data under /api/map only`,
    );
  return new ApiError('forbidden', `${route} is not open to the ${caller.role} role (${policy.summary})`);
}

const isApi = (url: string | undefined): url is string => url !== undefined && url.startsWith('/api/');

/**
 * Access control for the whole app, added on the root instance before any route: every /api route must declare
 * `config.policy` (checked when the app gets ready, so a route without one stops the start), each request is
 * authenticated by the configured mode and refused 401/403 before its handler (or body parser) runs, and every
 * authenticated call is appended to the audit log.
 */
export async function registerAccess(app: FastifyInstance, opts: { auth: AuthOptions }): Promise<void> {
  const { auth } = opts;
  // tokens and audit live in the state database (the `state` plugin opens and closes it); `none` needs neither
  const state = auth.mode === 'none' ? undefined : await app.state();
  const tokens = state ? new TokenStore(state) : undefined;
  const audit = state ? new AuditLog(state) : undefined;
  app.decorate('access', { auth, tokens, audit });
  const authenticate: Authenticator = authenticatorFor(auth, {
    tokens,
    oidc: auth.mode === 'oidc' ? oidcAuthenticator(auth) : undefined,
  });

  const routes: RouteOptions[] = [];
  app.addHook('onRoute', (route) => {
    if (isApi(route.url)) routes.push(route);
  });
  app.addHook('onReady', async () => {
    const missing = routes.filter((r) => r.config?.policy === undefined || !(r.config.policy in POLICIES));
    if (missing.length)
      throw new Error(
        `route(s) without an access policy: ${missing.map((r) => `${String(r.method)} ${r.url}`).join(', ')}; ` +
          `declare config: { policy } (one of ${Object.keys(POLICIES).join(', ')})`,
      );
  });

  app.addHook('onRequest', async (req, reply) => {
    const url = req.routeOptions.url;
    if (!isApi(url)) return;
    const name = req.routeOptions.config.policy;
    if (name === undefined) throw new ApiError('forbidden', `${req.method} ${url} declares no access policy`);
    const policy: RoutePolicy = POLICIES[name];
    if (policy.anonymous) return;
    let caller: Caller;
    try {
      caller = await authenticate(req);
    } catch (e) {
      if (e instanceof ApiError && e.code === 'unauthorized') reply.header('www-authenticate', 'Bearer realm="avlog"');
      throw e;
    }
    req.caller = caller;
    if (!policy.roles.includes(caller.role)) throw forbidden(req, caller, policy);
  });

  if (!audit) return;
  app.addHook('onSend', async (req, reply, payload) => {
    if (req.caller) req.auditRows = rowsOfPayload(reply, payload);
    return payload;
  });
  app.addHook('onResponse', async (req: FastifyRequest, reply: FastifyReply) => {
    const caller = req.caller;
    if (!caller) return;
    const body = req.body as { sql?: unknown } | undefined;
    await audit
      .append({
        caller: caller.id,
        role: caller.role,
        company: caller.company ?? null,
        method: req.method,
        route: req.routeOptions.url ?? req.url.split('?')[0] ?? '',
        params: JSON.stringify({ query: req.query, params: req.params }),
        status: reply.statusCode,
        rows: req.auditRows ?? null,
        sql: typeof body?.sql === 'string' ? body.sql : null,
      })
      .catch((e: unknown) => req.log.error({ err: e }, 'audit entry not stored'));
  });
}
