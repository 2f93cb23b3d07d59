import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { scopeOf } from '../caller.js';
import { encodeRejection, negotiateFormat, SqlRejected } from '../../lake/sql/index.js';
import { SQL_ROLE_LIMITS } from '../sql-role-limits.js';

const SqlBody = Type.Object(
  {
    sql: Type.String({
      minLength: 1,
      maxLength: 100_000,
      description: 'one SELECT over telemetry, events, quarantine, sources',
    }),
    max_rows: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000 })),
    timeout_ms: Type.Optional(Type.Integer({ minimum: 1, maximum: 300_000 })),
  },
  {
    additionalProperties: false,
    // Swagger UI's "Try it out" starts from this; the tables and columns are listed in docs/sql.md
    examples: [
      {
        sql: "SELECT kind, count(*) AS n, min(peak) AS hardest FROM events WHERE kind LIKE 'harsh_%' GROUP BY kind ORDER BY n DESC",
        max_rows: 100,
      },
    ],
  },
);

/**
 * `POST /api/sql`: sandboxed read-only SQL for engineers, run in a worker process (`lake/sql/worker`), streamed as
 * JSON, JSON lines, CSV or Arrow IPC by `Accept`, within the caller role's row and byte limit.
 * The caller's company scope applies here as everywhere.
 */
const sqlRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/',
    {
      schema: {
        tags: ['sql'],
        summary: 'run one sandboxed SELECT (Accept: application/json, text/csv, application/vnd.apache.arrow.stream)',
        body: SqlBody,
      },
    },
    async (req, reply) => {
      const scope = scopeOf(req);
      const format = negotiateFormat(req.headers.accept);
      const role = SQL_ROLE_LIMITS[scope.role === 'public' ? 'engineer' : scope.role];
      try {
        if (format === null) {
          throw new SqlRejected(
            'not_acceptable',
            `results come as application/json, application/x-ndjson, text/csv or application/vnd.apache.arrow.stream (Accept: ${req.headers.accept ?? ''})`,
          );
        }
        const answer = await app.sqlPool.query(req.body.sql, {
          format,
          maxRows: Math.min(req.body.max_rows ?? Math.min(role.maxRows, app.sqlPool.limits.defaultRows), role.maxRows),
          maxBytes: role.maxBytes,
          ...(scope.company ? { company: scope.company } : {}),
          ...(req.body.timeout_ms !== undefined ? { timeoutMs: req.body.timeout_ms } : {}),
        });
        for (const [k, v] of Object.entries(answer.headers)) reply.header(k, v);
        return reply.status(200).type(answer.contentType).send(answer.body);
      } catch (e) {
        if (!(e instanceof SqlRejected)) throw e;
        const encoded = encodeRejection(e);
        for (const [k, v] of Object.entries(encoded.headers)) reply.header(k, v);
        return reply.status(encoded.status).type(encoded.contentType).send(Buffer.from(encoded.body));
      }
    },
  );
};

export default sqlRoutes;
