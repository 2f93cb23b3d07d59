import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { registerAccess } from './access/access.js';
import { NO_AUTH, type AuthOptions } from './access/auth-options.js';
import { withPolicy } from './access/policy-scope.js';
import { DEFAULT_RATE_LIMITS, registerRateLimits, type RateLimits } from './access/rate-limits.js';
import accessRoutes from './routes/access.js';
import errorHandler from './plugins/error-handler.js';
import lake from './plugins/lake.js';
import state from './plugins/state.js';
import webStatic from './plugins/web-static.js';
import incidentRoutes from './routes/incidents.js';
import ingestRoutes, { type UploadLimits } from './routes/ingest.js';
import mapRoutes, { type MapRouteOptions } from './routes/map.js';
import metricsRoutes from './routes/metrics.js';
import regulatorRoutes from './routes/regulator.js';
import sourceRoutes from './routes/sources.js';
import sqlRoutes from './routes/sql.js';
import sqlSandbox from './plugins/sql-sandbox.js';
import type { SqlPoolOptions } from '../lake/sql/index.js';
import { ErrorBody } from './schemas/common.js';

export interface AppOptions {
  /** Data directory holding the lake and catalog. */
  dataDir: string;
  /** GeoJSON of named district polygons for the map's base layer (`--districts FILE`). */
  districtsFile?: string;
  /** Raster tiles for the map, when the deployment has a tile server. */
  mapTiles?: MapRouteOptions['tiles'];
  /** The built web app; default `web/dist`. */
  webRoot?: string;
  /** How callers authenticate; default `none` (one local admin: loopback only, `assertBindAllowed`). */
  auth?: AuthOptions;
  /** Requests per credential per minute on SQL, report PDFs and uploads; default `DEFAULT_RATE_LIMITS`. */
  rateLimits?: Partial<RateLimits>;
  /** Upload size, idle and total timeouts, and how many run at once. */
  uploads?: Partial<UploadLimits>;
  /** SQL worker processes: how many, their memory cap, queue and limits. */
  sqlPool?: Partial<SqlPoolOptions>;
}

/** The avlog HTTP API as a fastify plugin: lake, error catalogue, OpenAPI at /docs, and the /api routes. */
export async function avlogApp(app: FastifyInstance, opts: AppOptions): Promise<void> {
  await app.register(errorHandler);
  await app.register(state, { dataDir: opts.dataDir });
  await registerAccess(app, { auth: opts.auth ?? NO_AUTH });
  // `none` is one local user: nobody to share with
  if ((opts.auth ?? NO_AUTH).mode !== 'none')
    await registerRateLimits(app, { ...DEFAULT_RATE_LIMITS, ...opts.rateLimits });
  app.addSchema(ErrorBody);
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'avlog API',
        version: '0.1.0',
        description: 'Road-test logs: safety metrics, incidents, sources, ingest and SQL over the lake.',
      },
      tags: [
        { name: 'metrics', description: 'exposure, disengagements, events, collisions' },
        { name: 'incidents', description: 'incident search and telemetry windows' },
        { name: 'ingest', description: 'uploads and the catalog of sources' },
        { name: 'sql', description: 'sandboxed read-only SQL over the lake' },
        { name: 'map', description: 'routes and incidents as Arrow IPC, filter options, base map' },
        { name: 'regulator', description: 'figures over imported CA DMV and NHTSA SGO reports' },
        { name: 'access', description: 'the signed-in caller, tokens and the audit log' },
      ],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  await app.register(lake, { dataDir: opts.dataDir });
  await app.register(sqlSandbox, {
    dataDir: opts.dataDir,
    ...(opts.sqlPool !== undefined ? { pool: opts.sqlPool } : {}),
  });
  // The route table: who may call each group of routes (`access/policies.ts`).
  app.get('/api/health', { schema: { hide: true }, config: { policy: 'health' } }, async () => ({ ok: true }));
  await app.register(withPolicy('read', metricsRoutes, {}), { prefix: '/api/metrics' });
  await app.register(withPolicy('read', regulatorRoutes, {}), { prefix: '/api/regulator' });
  await app.register(withPolicy('read', incidentRoutes, {}), { prefix: '/api/incidents' });
  await app.register(withPolicy('read', sourceRoutes, {}), { prefix: '/api/sources' });
  await app.register(withPolicy('ingest', ingestRoutes, opts.uploads !== undefined ? { uploads: opts.uploads } : {}), {
    prefix: '/api/ingest',
  });
  await app.register(withPolicy('sql', sqlRoutes, {}), { prefix: '/api/sql' });
  await app.register(withPolicy('report', (await import('./routes/reports.js')).default, {}), {
    prefix: '/api/reports',
  });
  const mapOptions: MapRouteOptions = {
    ...(opts.districtsFile !== undefined ? { districtsFile: opts.districtsFile } : {}),
    ...(opts.mapTiles !== undefined ? { tiles: opts.mapTiles } : {}),
  };
  await app.register(withPolicy('map', mapRoutes, mapOptions), { prefix: '/api/map' });
  await app.register(accessRoutes, { prefix: '/api' });
  await app.register(webStatic, opts.webRoot !== undefined ? { root: opts.webRoot } : {});
}

/** A fastify instance with avlog registered: what the server runs and what tests `inject` into. */
export async function buildApp(opts: AppOptions, fastifyOptions: FastifyServerOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: false,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: true, allErrors: false } },
    ...fastifyOptions,
  }).withTypeProvider<TypeBoxTypeProvider>();
  await app.register(avlogApp, opts);
  return app;
}
