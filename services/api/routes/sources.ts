import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { columnSchemas } from '../../ingest/schema/column-schema.js';
import { SOURCES } from '../../ingest/schema/tables.js';
import { SOURCE_STATUSES } from '../../ingest/schema/vocab.js';
import { scopeOf } from '../caller.js';
import { ErrorResponses } from '../schemas/common.js';
import { listDamaged } from '../../ingest/lake/damaged.js';
import { lakePaths } from '../../ingest/lake/paths.js';

/** A catalog entry as the `sources` view reads it: every declared column. */
const Source = Type.Object(columnSchemas(SOURCES, Object.keys(SOURCES) as (keyof typeof SOURCES)[]));

/** A lake file moved aside because it could not be read (`ingest/lake/damaged.ts`). */
const Damaged = Type.Object({
  path: Type.String(),
  moved_to: Type.String(),
  source_id: Type.Union([Type.String(), Type.Null()]),
  error: Type.String(),
  moved_at: Type.String(),
});

/** The catalog of ingested sources, and lake files moved aside as unreadable. */
const sourceRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/',
    {
      schema: {
        tags: ['ingest'],
        summary: 'catalog of ingested sources, newest first',
        querystring: Type.Object(
          { status: Type.Optional(Type.Union(SOURCE_STATUSES.map((status) => Type.Literal(status)))) },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ sources: Type.Array(Source), damaged: Type.Array(Damaged) }),
          ...ErrorResponses,
        },
      },
    },
    async (req) => {
      const rows = await app.lake.query(
        scopeOf(req),
        `SELECT * FROM sources ${req.query.status ? 'WHERE status = $status' : ''} ORDER BY ingested_at DESC, file`,
        req.query.status ? { status: req.query.status } : {},
      );
      const company = scopeOf(req).company;
      const damaged = listDamaged(lakePaths(app.dataDir)).filter(
        (d) => company === undefined || d.path.includes(`company=${company}`),
      );
      return { sources: rows as never, damaged };
    },
  );
};

export default sourceRoutes;
