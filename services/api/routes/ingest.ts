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
import { Gate } from '../../core/gate.js';
import { writeScopeOf } from '../caller.js';
import { ApiError } from '../errors.js';
import { ErrorBody, ErrorResponses } from '../schemas/common.js';

/** What one upload may take, and how many run at once. */
export interface UploadLimits {
  /** Bytes; larger uploads are refused (413), by `content-length` before a byte is read when it is declared. */
  maxBytes: number;
  /** No byte for this long: the upload is dropped (408), ms. */
  idleMs: number;
  /** The whole upload (not the ingest after it) within this, ms. */
  totalMs: number;
  /** Uploads received and ingested at once; `queue` more wait; past that 429 with retry-after. */
  concurrent: number;
  queue: number;
}

export const DEFAULT_UPLOAD_LIMITS: UploadLimits = {
  maxBytes: 5 * 1024 ** 3,
  idleMs: 30_000,
  totalMs: 30 * 60_000,
  concurrent: 4,
  queue: 8,
};

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

/** Counts bytes on their way to disk; stops past the size limit, after `idleMs` without a byte or `totalMs` in all. */
function limiter(limits: UploadLimits): Transform {
  let seen = 0;
  const stop = (e: ApiError): void => {
    clearTimeout(idle);
    clearTimeout(total);
    guard.destroy(e);
  };
  const stalled = (): void =>
    stop(new ApiError('upload_timeout', `no upload bytes for ${limits.idleMs} ms; the upload was dropped`));
  let idle = setTimeout(stalled, limits.idleMs);
  const total = setTimeout(
    () => stop(new ApiError('upload_timeout', `the upload took longer than ${limits.totalMs} ms; it was dropped`)),
    limits.totalMs,
  );
  const guard = new Transform({
    transform(chunk: Buffer, _enc, done) {
      seen += chunk.length;
      clearTimeout(idle);
      idle = setTimeout(stalled, limits.idleMs);
      if (seen > limits.maxBytes) done(new ApiError('payload_too_large', `upload exceeds ${limits.maxBytes} bytes`));
      else done(null, chunk);
    },
    flush(done) {
      clearTimeout(idle);
      clearTimeout(total);
      done();
    },
  });
  guard.on('close', () => {
    clearTimeout(idle);
    clearTimeout(total);
  });
  return guard;
}

/** A file name that stays inside its upload folder: not `.`, `..` or hidden (the schema's pattern admits dots). */
function checkName(name: string): void {
  if (name.startsWith('.') || name !== path.basename(name))
    throw new ApiError('bad_parameter', `name "${name}" must be a plain file name, not starting with a dot`, 'name');
}

/**
 * `POST /api/ingest?name=drive.csv` with the file as the raw body: streamed to a private upload folder (never
 * buffered whole), ingested by the same library as the CLI, and answered with the same summary.
 */
const ingestRoutes: FastifyPluginAsyncTypebox<{ uploads?: Partial<UploadLimits> }> = async (app, opts) => {
  const limits = { ...DEFAULT_UPLOAD_LIMITS, ...opts.uploads };
  const gate = new Gate('uploads', limits.concurrent, limits.queue);
  app.addContentTypeParser('*', (_req, payload, done) => done(null, payload));
  app.post(
    '/',
    {
      schema: {
        tags: ['ingest'],
        summary: 'ingest one uploaded log file (raw body)',
        querystring: IngestQuery,
        response: {
          200: IngestResponse,
          408: ErrorBody,
          413: ErrorBody,
          422: IngestResponse,
          429: ErrorBody,
          ...ErrorResponses,
        },
      },
    },
    async (req, reply) => {
      const writeCompany = writeScopeOf(req);
      if (writeCompany !== undefined && req.query.company !== undefined && req.query.company !== writeCompany)
        throw new ApiError(
          'forbidden',
          `company=${req.query.company}: this caller may ingest only ${writeCompany}`,
          'company',
        );
      const body = req.body as NodeJS.ReadableStream | undefined;
      if (!body || typeof (body as { pipe?: unknown }).pipe !== 'function')
        throw new ApiError('bad_parameter', 'send the file as the request body', 'body');
      checkName(req.query.name);
      const declared = Number(req.headers['content-length'] ?? 0);
      if (declared > limits.maxBytes) {
        throw new ApiError(
          'payload_too_large',
          `the upload declares ${declared} bytes (content-length); at most ${limits.maxBytes} are accepted`,
        );
      }
      return gate.run(async () => {
        const uploads = path.join(lakePaths(app.dataDir).staging, 'uploads', crypto.randomUUID());
        fs.mkdirSync(uploads, { recursive: true });
        const file = path.join(uploads, req.query.name);
        try {
          // The request is piped, not part of the pipeline: a stopped upload must not destroy the request before
          // its answer (408/413) is sent; the connection closes after it.
          const guard = limiter(limits);
          body.on('error', (e: Error) => guard.destroy(e));
          body.pipe(guard);
          try {
            await pipeline(guard, fs.createWriteStream(file));
          } catch (e) {
            body.unpipe(guard);
            reply.header('connection', 'close');
            throw e;
          }
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
            ...(writeCompany !== undefined ? { writeCompany } : {}),
          });
          const refused = summary.files.find((f) => f.status === 'refused');
          if (refused) throw new ApiError('forbidden', refused.error ?? "another company's rows", 'body');
          await app.lake.db.refresh();
          const out = { ...summary, files: summary.files.map(({ path: _p, ...f }) => f) };
          return reply.status(summary.failed + summary.empty > 0 ? 422 : 200).send(out);
        } finally {
          fs.rmSync(uploads, { recursive: true, force: true });
        }
      });
    },
  );
};

export default ingestRoutes;
