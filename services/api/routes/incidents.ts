import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { callerOf, scopeOf } from '../caller.js';
import { ApiError } from '../errors.js';
import { incidentDetail } from '../../lake/incidents/detail.js';
import { EVENT_WINDOW } from '../../vocabulary/thresholds.js';
import { BadCursor, INCIDENT_SORTS, searchIncidents, type IncidentQuery } from '../../lake/incidents/search.js';
import { metricArgs, splitList } from '../../lake/metrics/metric-args.js';
import { ErrorBody, ErrorResponses } from '../schemas/common.js';
import { eventsWithStatus, TRIAGE_STATUSES, triageOf, updateTriage, type TriageStatus } from '../../state/triage.js';
import type { FastifyRequest } from 'fastify';
import {
  IncidentDetailQuery,
  IncidentDetailResponse,
  IncidentParams,
  IncidentsQuery,
  IncidentsResponse,
  TriageBody,
  TriageResponse,
} from '../schemas/incidents.js';

/** Who wrote a triage change: the proxy's `x-avlog-user`, else the caller's role (and company). */
/** Who triages: the authenticated caller (token id, OIDC subject, proxy user or `local`) with role and company. */
function authorOf(req: FastifyRequest): string {
  const caller = callerOf(req);
  return `${caller.id} (${caller.company ? `${caller.role}@${caller.company}` : caller.role})`;
}

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
      const triage = splitList(q.triage_status)?.filter((t): t is TriageStatus =>
        (TRIAGE_STATUSES as readonly string[]).includes(t),
      );
      if (triage?.length) {
        const state = await app.state();
        // `new` is the absence of a triage row: keep everything except the ids with a status not asked for
        if (triage.includes('new'))
          query.exclude_event_id = await eventsWithStatus(
            state,
            TRIAGE_STATUSES.filter((t) => !triage.includes(t)),
          );
        else query.event_id = await eventsWithStatus(state, triage);
      }
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
  const exists = async (req: FastifyRequest, id: string) => {
    const scope = scopeOf(req);
    const found = await searchIncidents(app.lake, scope, { event_id: [id], sort: 'ts', limit: 1 });
    if (!found.items.length) throw new ApiError('not_found', `no incident ${id}`);
    return scope;
  };
  app.get(
    '/:id/triage',
    {
      schema: {
        tags: ['incidents'],
        summary: 'triage status, owner and history of one incident',
        params: IncidentParams,
        response: { 200: TriageResponse, 404: ErrorBody, ...ErrorResponses },
      },
    },
    async (req) => {
      await exists(req, req.params.id);
      return triageOf(await app.state(), req.params.id);
    },
  );
  app.patch(
    '/:id',
    {
      config: { policy: 'triage' },
      schema: {
        tags: ['incidents'],
        summary: 'triage an incident: status, owner, and a note appended with author and time',
        params: IncidentParams,
        body: TriageBody,
        response: { 200: TriageResponse, 404: ErrorBody, ...ErrorResponses },
      },
    },
    async (req) => {
      await exists(req, req.params.id);
      return updateTriage(await app.state(), req.params.id, req.body, authorOf(req));
    },
  );
};

export default incidentRoutes;
