import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { publicViewGate } from './caller.js';
import errorHandler from './plugins/error-handler.js';
import lake from './plugins/lake.js';
import state from './plugins/state.js';
import webStatic from './plugins/web-static.js';
import incidentRoutes from './routes/incidents.js';
import ingestRoutes from './routes/ingest.js';
import mapRoutes, { type MapRouteOptions } from './routes/map.js';
import metricsRoutes from './routes/metrics.js';
import regulatorRoutes from './routes/regulator.js';
import sourceRoutes from './routes/sources.js';
import sqlRoutes from './routes/sql.js';
import sqlSandbox from './plugins/sql-sandbox.js';
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
}

/** The avlog HTTP API as a fastify plugin: lake, error catalogue, OpenAPI at /docs, and the /api routes. */
export async function avlogApp(app: FastifyInstance, opts: AppOptions): Promise<void> {
  await app.register(errorHandler);
  app.addHook('onRequest', publicViewGate);
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
      ],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  await app.register(lake, { dataDir: opts.dataDir });
  await app.register(state, { dataDir: opts.dataDir });
  app.get('/api/health', { schema: { hide: true } }, async () => ({ ok: true }));
  await app.register(metricsRoutes, { prefix: '/api/metrics' });
  await app.register(regulatorRoutes, { prefix: '/api/regulator' });
  await app.register(incidentRoutes, { prefix: '/api/incidents' });
  await app.register(sourceRoutes, { prefix: '/api/sources' });
  await app.register(ingestRoutes, { prefix: '/api/ingest' });
  await app.register(sqlSandbox, { dataDir: opts.dataDir });
  await app.register(sqlRoutes, { prefix: '/api/sql' });
  await app.register((await import('./routes/reports.js')).default, { prefix: '/api/reports' });
  await app.register(mapRoutes, {
    prefix: '/api/map',
    ...(opts.districtsFile !== undefined ? { districtsFile: opts.districtsFile } : {}),
    ...(opts.mapTiles !== undefined ? { tiles: opts.mapTiles } : {}),
  });
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
