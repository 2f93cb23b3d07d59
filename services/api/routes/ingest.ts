import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ingestPaths } from '../../ingest/ingest.js';
import { lakePaths } from '../../ingest/lake/paths.js';
import { CRSES, ENCODINGS, SOURCE_KINDS } from '../../ingest/schema/vocab.js';
import { ApiError } from '../errors.js';
import { ErrorBody, ErrorResponses } from '../schemas/common.js';

/** Uploads larger than this are refused (the CLI has no limit). */
export const MAX_UPLOAD_BYTES = 5 * 1024 ** 3;

const IngestQuery = Type.Object(
  {
    name: Type.String({
      pattern: '^[\\w.\\- ()\\u4e00-\\u9fff]{1,200}$',
      description: 'the file name, e.g. drive-0001.csv (letters, digits, . _ - space)',
    }),
    crs: Type.Optional(Type.Union(CRSES.map((c) => Type.Literal(c)))),
    encoding: Type.Optional(Type.Union(ENCODINGS.map((c) => Type.Literal(c)))),
    kind: Type.Optional(Type.Union(SOURCE_KINDS.map((c) => Type.Literal(c)))),
    company: Type.Optional(Type.String({ pattern: '^[\\w.-]{1,64}$' })),
    vehicle: Type.Optional(Type.String({ maxLength: 64 })),
  },
  { additionalProperties: false },
);

const FileResult = Type.Object({
  file: Type.String(),
  status: Type.String(),
  source_id: Type.Union([Type.String(), Type.Null()]),
  format: Type.Union([Type.String(), Type.Null()]),
  kind: Type.Union([Type.String(), Type.Null()]),
  rows_in: Type.Number(),
  rows_stored: Type.Number(),
  rows_quarantined: Type.Number(),
  quarantine_by_reason: Type.Record(Type.String(), Type.Number()),
  events_detected: Type.Number(),
  error: Type.Union([Type.String(), Type.Null()]),
});
const IngestResponse = Type.Object({
  rows_in: Type.Number(),
  rows_stored: Type.Number(),
  rows_quarantined: Type.Number(),
  failed: Type.Number(),
  empty: Type.Number(),
  files: Type.Array(FileResult),
});

/** Counts bytes on their way to disk and stops past the limit. */
function limiter(max: number): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      seen += chunk.length;
      if (seen > max) done(new ApiError('payload_too_large', `upload exceeds ${max} bytes`));
      else done(null, chunk);
    },
  });
}

/**
 * `POST /api/ingest?name=drive.csv` with the file as the raw body: streamed to a private upload folder (never
 * buffered whole), ingested by the same library as the CLI, and answered with the same summary.
 */
const ingestRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.addContentTypeParser('*', (_req, payload, done) => done(null, payload));
  app.post(
    '/',
    {
      schema: {
        tags: ['ingest'],
        summary: 'ingest one uploaded log file (raw body)',
        querystring: IngestQuery,
        response: { 200: IngestResponse, 413: ErrorBody, 422: IngestResponse, ...ErrorResponses },
      },
    },
    async (req, reply) => {
      const body = req.body as NodeJS.ReadableStream | undefined;
      if (!body || typeof (body as { pipe?: unknown }).pipe !== 'function')
        throw new ApiError('bad_parameter', 'send the file as the request body', 'body');
      const uploads = path.join(lakePaths(app.dataDir).staging, 'uploads', crypto.randomUUID());
      fs.mkdirSync(uploads, { recursive: true });
      const file = path.join(uploads, path.basename(req.query.name));
      try {
        await pipeline(body, limiter(MAX_UPLOAD_BYTES), fs.createWriteStream(file));
        const q = req.query;
        const summary = await ingestPaths([file], {
          dataDir: app.dataDir,
          purpose: `upload ${path.basename(file)}`,
          onWait: (m) => req.log.info(m),
          ...(q.crs ? { crs: q.crs } : {}),
          ...(q.encoding ? { encoding: q.encoding } : {}),
          ...(q.kind ? { kind: q.kind } : {}),
          ...(q.company ? { company: q.company } : {}),
          ...(q.vehicle ? { vehicle: q.vehicle } : {}),
        });
        await app.lake.db.refresh();
        const out = { ...summary, files: summary.files.map(({ path: _p, ...f }) => f) };
        return reply.status(summary.failed + summary.empty > 0 ? 422 : 200).send(out);
      } finally {
        fs.rmSync(uploads, { recursive: true, force: true });
      }
    },
  );
};

export default ingestRoutes;
