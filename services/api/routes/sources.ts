import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { scopeOf } from '../caller.js';
import { ErrorResponses } from '../schemas/common.js';

const Source = Type.Object({
  source_id: Type.String(),
  sha256: Type.String(),
  file: Type.String(),
  bytes: Type.Number(),
  format: Type.String(),
  kind: Type.String(),
  encoding: Type.Union([Type.String(), Type.Null()]),
  crs: Type.String(),
  status: Type.String(),
  error: Type.Union([Type.String(), Type.Null()]),
  rows_in: Type.Number(),
  rows_stored: Type.Number(),
  rows_quarantined: Type.Number(),
  ts_min: Type.Union([Type.String(), Type.Null()]),
  ts_max: Type.Union([Type.String(), Type.Null()]),
  ingested_at: Type.String(),
});

/** The catalog of ingested sources. */
const sourceRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/',
    {
      schema: {
        tags: ['ingest'],
        summary: 'catalog of ingested sources, newest first',
        querystring: Type.Object(
          { status: Type.Optional(Type.Union([Type.Literal('ingested'), Type.Literal('failed')])) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ sources: Type.Array(Source) }), ...ErrorResponses },
      },
    },
    async (req) => {
      const rows = await app.lake.query(
        scopeOf(req),
        `SELECT * FROM sources ${req.query.status ? 'WHERE status = $status' : ''} ORDER BY ingested_at DESC, file`,
        req.query.status ? { status: req.query.status } : {},
      );
      return { sources: rows as never };
    },
  );
};

export default sourceRoutes;
