import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { scopeOf } from '../caller.js';
import { ApiError } from '../errors.js';
import { incidentDetail } from '../../lake/incidents/detail.js';
import { EVENT_WINDOW } from '../../vocabulary/thresholds.js';
import { BadCursor, INCIDENT_SORTS, searchIncidents, type IncidentQuery } from '../../lake/incidents/search.js';
import { metricArgs, splitList } from '../../lake/metrics/metric-args.js';
import { ErrorBody, ErrorResponses } from '../schemas/common.js';
import {
  IncidentDetailQuery,
  IncidentDetailResponse,
  IncidentParams,
  IncidentsQuery,
  IncidentsResponse,
} from '../schemas/incidents.js';

/** Incident search with keyset pagination, and one incident with its telemetry window. */
const incidentRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/',
    {
      schema: {
        tags: ['incidents'],
        summary: 'search incidents',
        querystring: IncidentsQuery,
        response: { 200: IncidentsResponse, ...ErrorResponses },
      },
    },
    async (req) => {
      const q = req.query;
      const { filter } = metricArgs(q);
      const sort = INCIDENT_SORTS.find((s) => s === q.sort) ?? '-ts';
      const query: IncidentQuery = { ...filter, sort, limit: q.limit ?? 50 };
      const kind = splitList(q.kind);
      if (kind) query.kind = kind;
      const severity = splitList(q.severity);
      if (severity) query.severity = severity;
      const mode = splitList(q.mode);
      if (mode) query.mode = mode;
      const origin = splitList(q.origin);
      if (origin) query.origin = origin;
      if (q.bbox) {
        const b = q.bbox.split(',').map(Number) as [number, number, number, number];
        if (b[0] > b[2] || b[1] > b[3])
          throw new ApiError('bad_parameter', 'bbox must be minLon,minLat,maxLon,maxLat with min ≤ max', 'bbox');
        query.bbox = b;
      }
      if (q.speed_min !== undefined) query.speed_min = q.speed_min;
      if (q.speed_max !== undefined) query.speed_max = q.speed_max;
      if (q.cursor !== undefined) query.cursor = q.cursor;
      try {
        return await searchIncidents(app.lake, scopeOf(req), query);
      } catch (e) {
        if (e instanceof BadCursor) throw new ApiError('bad_cursor', e.message, 'cursor');
        throw e;
      }
    },
  );
  app.get(
    '/:id',
    {
      schema: {
        tags: ['incidents'],
        summary: 'one incident and its telemetry window (default −90 s … +30 s)',
        params: IncidentParams,
        querystring: IncidentDetailQuery,
        response: { 200: IncidentDetailResponse, 404: ErrorBody, ...ErrorResponses },
      },
    },
    async (req) => {
      const found = await incidentDetail(app.lake, scopeOf(req), req.params.id, {
        beforeS: req.query.before ?? EVENT_WINDOW.beforeS,
        afterS: req.query.after ?? EVENT_WINDOW.afterS,
      });
      if (!found) throw new ApiError('not_found', `no incident ${req.params.id}`);
      return found;
    },
  );
};

export default incidentRoutes;
