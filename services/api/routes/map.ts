import { Readable } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { callerOf } from '../caller.js';
import { isPublic } from '../../lake/scope.js';
import { ApiError } from '../errors.js';
import { EVENT_WINDOW } from '../../vocabulary/thresholds.js';
import { baseRoads } from '../../reference/roads/base-roads.js';
import { loadDistrictOutlines } from '../map/district-outlines.js';
import { filterOptions } from '../map/filter-options.js';
import { loadIncidents, type IncidentFilter } from '../map/incident-data.js';
import { incidentsToArrow, incidentsToJson } from '../map/incident-encoding.js';
import type { Bbox, MapFilter } from '../map/map-filter.js';
import { PUBLIC_VIEW } from '../map/public-view.js';
import { loadRoutes } from '../map/route-data.js';
import { routesToArrow, routesToJson } from '../map/route-encoding.js';
import {
  arrowOrJson,
  DEFAULT_INCIDENT_LIMIT,
  DEFAULT_MAX_POINTS,
  FilterOptionsResponse,
  GeoJsonResponse,
  MapConfigResponse,
  MapIncidentsQuery,
  RoutesQuery,
  type MapConfig,
  type MapTiles,
} from '../map/schemas.js';
import { ARROW_STREAM_MIME } from '../map/wire-format.js';
import type { Mode } from '../../ingest/schema/vocab.js';
import { metricArgs, splitList, type MetricArgsText } from '../../lake/metrics/metric-args.js';
import { ErrorResponses } from '../schemas/common.js';

export interface MapRouteOptions {
  /** GeoJSON of named district polygons (WGS-84) drawn as the base map; without it the map draws roads only. */
  districtsFile?: string;
  /** The name property of the districts file (default: the first of name, qh, NAME, district, Name). */
  districtProperty?: string;
  /** Raster tiles for deployments that have them; `crs: 'gcj02'` for AMap/Tencent tiles. */
  tiles?: MapTiles;
}

function bboxOf(text: string | undefined): Bbox | undefined {
  if (text === undefined) return undefined;
  const b = text.split(',').map(Number) as [number, number, number, number];
  if (b[0] > b[2] || b[1] > b[3])
    throw new ApiError('bad_parameter', 'bbox must be minLon,minLat,maxLon,maxLat with min ≤ max', 'bbox');
  return b;
}

function mapFilterOf(q: MetricArgsText & { mode?: string; bbox?: string }): MapFilter {
  const filter: MapFilter = metricArgs(q).filter;
  const mode = splitList(q.mode) as Mode[] | undefined;
  if (mode) filter.mode = mode;
  const bbox = bboxOf(q.bbox);
  if (bbox) filter.bbox = bbox;
  return filter;
}

/** An Arrow IPC stream's chunks as a response body: streamed as they are, with their total length. */
function ipcBody(reply: FastifyReply, chunks: readonly Uint8Array[]): FastifyReply {
  reply.header('content-length', String(chunks.reduce((a, c) => a + c.byteLength, 0)));
  return reply
    .type(ARROW_STREAM_MIME)
    .send(Readable.from(chunks.map((c) => Buffer.from(c.buffer, c.byteOffset, c.byteLength))));
}

/**
 * Map data: routes and incidents as Arrow IPC (or JSON), filter options, and the base map (districts, roads).
 * Every route here is open to public map viewers (policy `map`): the loaders coarsen what they send to them.
 */
const mapRoutes: FastifyPluginAsyncTypebox<MapRouteOptions> = async (app, opts) => {
  const districts = opts.districtsFile
    ? JSON.stringify(loadDistrictOutlines(opts.districtsFile, opts.districtProperty))
    : JSON.stringify({ type: 'FeatureCollection', features: [] });
  const roads = JSON.stringify(baseRoads());
  const config: Omit<MapConfig, 'public_view'> = {
    tiles: opts.tiles ?? null,
    districts: opts.districtsFile !== undefined,
    incident_window: { before_s: EVENT_WINDOW.beforeS, after_s: EVENT_WINDOW.afterS },
  };
  const publicView = { cell_deg: PUBLIC_VIEW.cellDeg, time_s: PUBLIC_VIEW.timeS };

  app.get(
    '/routes',
    {
      schema: {
        tags: ['map'],
        summary:
          'telemetry samples as paths, thinned for a zoom: an Arrow IPC stream (see services/api/map/wire-format.ts)',
        querystring: RoutesQuery,
        response: { 200: arrowOrJson('routes', { type: 'object' }), ...ErrorResponses },
      },
    },
    async (req, reply) => {
      const q = req.query;
      const started = performance.now();
      const data = await loadRoutes(app.lake, callerOf(req), mapFilterOf(q), {
        ...(q.zoom !== undefined ? { zoom: q.zoom } : {}),
        maxPoints: q.max_points ?? DEFAULT_MAX_POINTS,
      });
      const encoding = performance.now();
      const body = q.format === 'json' ? JSON.stringify(routesToJson(data)) : await routesToArrow(data);
      reply.header(
        'server-timing',
        `query;dur=${(encoding - started).toFixed(1)}, encode;dur=${(performance.now() - encoding).toFixed(1)}`,
      );
      reply.header('x-avlog-points', String(data.length));
      return typeof body === 'string' ? reply.type('application/json; charset=utf-8').send(body) : ipcBody(reply, body);
    },
  );

  app.get(
    '/incidents',
    {
      schema: {
        tags: ['map'],
        summary: 'incidents with a position: an Arrow IPC stream (or JSON with format=json)',
        querystring: MapIncidentsQuery,
        response: { 200: arrowOrJson('incidents', { type: 'object' }), ...ErrorResponses },
      },
    },
    async (req, reply) => {
      const q = req.query;
      const filter: IncidentFilter = mapFilterOf(q);
      const kind = splitList(q.kind);
      if (kind) filter.kind = kind;
      const severity = splitList(q.severity);
      if (severity) filter.severity = severity;
      const data = await loadIncidents(app.lake, callerOf(req), filter, q.limit ?? DEFAULT_INCIDENT_LIMIT);
      if (q.format === 'json')
        return reply.type('application/json; charset=utf-8').send(JSON.stringify(incidentsToJson(data)));
      return ipcBody(reply, await incidentsToArrow(data));
    },
  );

  app.get(
    '/filters',
    {
      schema: {
        tags: ['map'],
        summary: 'companies, vehicles, modes, incident kinds and the date extent present',
        response: { 200: FilterOptionsResponse, ...ErrorResponses },
      },
    },
    async (req) => filterOptions(app.lake, callerOf(req)),
  );

  app.get(
    '/config',
    {
      schema: {
        tags: ['map'],
        summary:
          'base map settings (tiles, districts, incident window) and whether the caller gets the public, coarsened view',
        response: { 200: MapConfigResponse, ...ErrorResponses },
      },
    },
    async (req): Promise<MapConfig> => ({ ...config, public_view: isPublic(callerOf(req)) ? publicView : null }),
  );

  app.get(
    '/districts',
    {
      schema: {
        tags: ['map'],
        summary: 'district polygons with names and label points (empty without a districts file)',
        response: { 200: GeoJsonResponse },
      },
    },
    async (_req, reply) =>
      reply.type('application/geo+json; charset=utf-8').header('cache-control', 'public, max-age=3600').send(districts),
  );

  app.get(
    '/roads',
    {
      schema: {
        tags: ['map'],
        summary: 'the base road network (embedded arterials) as GeoJSON lines',
        response: { 200: GeoJsonResponse },
      },
    },
    async (_req, reply) =>
      reply.type('application/geo+json; charset=utf-8').header('cache-control', 'public, max-age=3600').send(roads),
  );
};

export default mapRoutes;
