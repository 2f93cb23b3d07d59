import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { scopeOf } from '../caller.js';
import { encode, encodeRejection, SqlRejected } from '../../lake/sql/index.js';

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
 * `POST /api/sql`: sandboxed read-only SQL for engineers, answered as JSON, CSV or Arrow IPC by `Accept`.
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
      let encoded;
      try {
        const result = await app.sqlSandbox.query(req.body.sql, {
          ...(scope.company ? { scope: { company: scope.company } } : {}),
          ...(req.body.max_rows !== undefined ? { maxRows: req.body.max_rows } : {}),
          ...(req.body.timeout_ms !== undefined ? { timeoutMs: req.body.timeout_ms } : {}),
        });
        encoded = encode(result, req.headers.accept);
      } catch (e) {
        if (!(e instanceof SqlRejected)) throw e;
        encoded = encodeRejection(e);
      }
      for (const [k, v] of Object.entries(encoded.headers)) reply.header(k, v);
      return reply.status(encoded.status).type(encoded.contentType).send(Buffer.from(encoded.body));
    },
  );
};

export default sqlRoutes;
