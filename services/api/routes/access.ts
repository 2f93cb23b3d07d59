import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ROLES } from '../../state/tokens.js';
import { callerOf } from '../caller.js';
import { ApiError } from '../errors.js';

const AuditQuery = Type.Object(
  {
    since: Type.Optional(Type.String({ description: 'ISO instant or date: entries at or after it' })),
    caller: Type.Optional(Type.String({ maxLength: 200, description: 'token:<id>, oidc:<sub>, proxy:<user>' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
  },
  { additionalProperties: false },
);

const NewToken = Type.Object(
  {
    role: Type.Union(ROLES.map((r) => Type.Literal(r))),
    company: Type.Optional(Type.String({ pattern: '^[\\w.-]{1,64}$' })),
    name: Type.Optional(Type.String({ maxLength: 200 })),
    expires_days: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650 })),
  },
  { additionalProperties: false },
);

/**
 * `GET /api/me` (who the caller is, for the web app), `GET /api/audit` (admin: every entry; regulator: its own
 * calls) and the token routes `GET|POST /api/tokens`, `DELETE /api/tokens/:id` (admin), which a running server
 * offers because it holds the state database the CLI would otherwise open.
 */
const accessRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/me',
    { config: { policy: 'map' }, schema: { tags: ['access'], summary: 'the signed-in caller' } },
    async (req) => {
      const c = callerOf(req);
      return { id: c.id, role: c.role, company: c.company ?? null, auth: app.access.auth.mode };
    },
  );

  app.get(
    '/audit',
    {
      config: { policy: 'audit' },
      schema: { tags: ['access'], summary: 'the audit log, newest first', querystring: AuditQuery },
    },
    async (req) => {
      const audit = app.access.audit;
      if (!audit) throw new ApiError('not_found', 'no audit log with --auth none (a single local user)');
      const c = callerOf(req);
      if (req.query.since !== undefined && Number.isNaN(Date.parse(req.query.since)))
        throw new ApiError('bad_parameter', 'since must be an ISO date or instant', 'since');
      const caller = c.role === 'admin' ? req.query.caller : c.id;
      return {
        entries: await audit.list({ since: req.query.since, caller, limit: req.query.limit }),
        dropped: c.role === 'admin' ? await audit.dropped() : [],
      };
    },
  );

  const tokensOf = () => {
    const tokens = app.access.tokens;
    if (!tokens) throw new ApiError('not_found', `no tokens with --auth ${app.access.auth.mode}`);
    return tokens;
  };
  app.get(
    '/tokens',
    { config: { policy: 'admin' }, schema: { tags: ['access'], summary: 'access tokens (never their secrets)' } },
    async () => ({
      tokens: await tokensOf().list(),
    }),
  );
  app.post(
    '/tokens',
    {
      config: { policy: 'admin' },
      schema: { tags: ['access'], summary: 'create a token (its secret is answered once)', body: NewToken },
    },
    async (req, reply) => {
      const b = req.body;
      try {
        const { token, info } = await tokensOf().create({
          role: b.role,
          company: b.company,
          name: b.name,
          expiresDays: b.expires_days,
        });
        return await reply.status(201).send({ token, ...info });
      } catch (e) {
        if (e instanceof ApiError) throw e;
        throw new ApiError('bad_parameter', (e as Error).message, 'company');
      }
    },
  );
  app.delete(
    '/tokens/:id',
    {
      config: { policy: 'admin' },
      schema: { tags: ['access'], summary: 'revoke a token', params: Type.Object({ id: Type.String() }) },
    },
    async (req) => {
      if (!(await tokensOf().revoke(req.params.id))) throw new ApiError('not_found', `no token ${req.params.id}`);
      return { revoked: req.params.id };
    },
  );
};

export default accessRoutes;
