import { Type } from '@sinclair/typebox';
import { FilterQuery, Group, GroupByQuery } from './common.js';

export const MetricsQuery = Type.Object({ ...GroupByQuery, ...FilterQuery }, { additionalProperties: false });

const ByMode = Type.Object({
  autonomous: Type.Number(),
  manual: Type.Number(),
  remote: Type.Number(),
  unknown: Type.Number(),
  total: Type.Number(),
});
const Counts = Type.Record(Type.String(), Type.Number());
const Nullable = Type.Union([Type.Number(), Type.Null()]);

export const ExposureResponse = Type.Object({
  group_by: Type.Array(Type.String()),
  rows: Type.Array(Type.Object({ group: Group, km: ByMode, hours: ByMode })),
});

export const DisengagementResponse = Type.Object({
  group_by: Type.Array(Type.String()),
  rows: Type.Array(
    Type.Object({
      group: Group,
      count: Type.Integer(),
      autonomous_km: Type.Number(),
      per_1000_km: Nullable,
      km_per_disengagement: Nullable,
      by_initiator: Counts,
      by_cause: Counts,
    }),
  ),
});

export const EventsQuery = Type.Object(
  { ...GroupByQuery, ...FilterQuery, kind: Type.Optional(Type.String({ pattern: '^[a-z_]+(,[a-z_]+)*$' })) },
  { additionalProperties: false },
);

export const EventsResponse = Type.Object({
  group_by: Type.Array(Type.String()),
  rows: Type.Array(
    Type.Object({
      group: Group,
      km: Type.Number(),
      total: Type.Integer(),
      per_1000_km: Nullable,
      by_kind: Type.Record(
        Type.String(),
        Type.Object({ count: Type.Integer(), per_1000_km: Nullable, by_severity: Counts }),
      ),
    }),
  ),
});

export const CollisionsResponse = Type.Object({
  group_by: Type.Array(Type.String()),
  rows: Type.Array(
    Type.Object({
      group: Group,
      km: Type.Number(),
      count: Type.Integer(),
      per_million_km: Nullable,
      by_severity: Counts,
    }),
  ),
});
