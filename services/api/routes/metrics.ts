import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { scopeOf } from '../caller.js';
import { disengagements } from '../../lake/metrics/disengagements.js';
import { eventCounts } from '../../lake/metrics/event-counts.js';
import { exposure } from '../../lake/metrics/exposure.js';
import { metricArgs, splitList } from '../../lake/metrics/metric-args.js';
import { rateInterval } from '../../core/stats/poisson.js';
import { ErrorResponses } from '../schemas/common.js';
import {
  CollisionsResponse,
  DisengagementResponse,
  EventsQuery,
  EventsResponse,
  ExposureResponse,
  MetricsQuery,
} from '../schemas/metrics.js';

/** Safety metrics: exposure, disengagements, events and collisions, grouped and filtered. */
const metricsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/exposure',
    {
      schema: {
        tags: ['metrics'],
        summary: 'km and hours by driving mode',
        querystring: MetricsQuery,
        response: { 200: ExposureResponse, ...ErrorResponses },
      },
    },
    async (req) => {
      const { groupBy, filter } = metricArgs(req.query);
      return { group_by: groupBy, rows: await exposure(app.lake, scopeOf(req), groupBy, filter) };
    },
  );
  app.get(
    '/disengagements',
    {
      schema: {
        tags: ['metrics'],
        summary: 'disengagements, per 1,000 autonomous km, km per disengagement, by initiator and cause',
        querystring: MetricsQuery,
        response: { 200: DisengagementResponse, ...ErrorResponses },
      },
    },
    async (req) => {
      const { groupBy, filter } = metricArgs(req.query);
      const rows = await disengagements(app.lake, scopeOf(req), groupBy, filter);
      const ci = req.query.ci;
      return {
        group_by: groupBy,
        rows:
          ci === undefined ? rows : rows.map((r) => ({ ...r, ...rateInterval(r.count, r.autonomous_km, 1000, ci) })),
      };
    },
  );
  app.get(
    '/events',
    {
      schema: {
        tags: ['metrics'],
        summary: 'events by kind and severity per 1,000 km',
        querystring: EventsQuery,
        response: { 200: EventsResponse, ...ErrorResponses },
      },
    },
    async (req) => {
      const { groupBy, filter } = metricArgs(req.query);
      const rows = await eventCounts(app.lake, scopeOf(req), groupBy, filter, splitList(req.query.kind));
      const ci = req.query.ci;
      if (ci === undefined) return { group_by: groupBy, rows };
      return {
        group_by: groupBy,
        rows: rows.map((r) => ({
          ...r,
          ...rateInterval(r.total, r.km, 1000, ci),
          by_kind: Object.fromEntries(
            Object.entries(r.by_kind).map(([k, v]) => [k, { ...v, ...rateInterval(v.count, r.km, 1000, ci) }]),
          ),
        })),
      };
    },
  );
  app.get(
    '/collisions',
    {
      schema: {
        tags: ['metrics'],
        summary: 'collisions per million km by injury severity',
        querystring: MetricsQuery,
        response: { 200: CollisionsResponse, ...ErrorResponses },
      },
    },
    async (req) => {
      const { groupBy, filter } = metricArgs(req.query);
      const rows = await eventCounts(app.lake, scopeOf(req), groupBy, filter, ['collision']);
      return {
        group_by: groupBy,
        rows: rows.map((r) => {
          const c = r.by_kind.collision;
          const count = c?.count ?? 0;
          return {
            group: r.group,
            km: r.km,
            count,
            per_million_km: r.km > 0 ? (count / r.km) * 1e6 : null,
            ...(req.query.ci === undefined ? {} : rateInterval(count, r.km, 1e6, req.query.ci)),
            by_severity: c?.by_severity ?? {},
          };
        }),
      };
    },
  );
};

export default metricsRoutes;
