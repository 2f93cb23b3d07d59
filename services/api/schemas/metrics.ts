import { Type } from '@sinclair/typebox';
import { FilterQuery, Group, GroupByQuery } from './common.js';

const CiQuery = {
  ci: Type.Optional(
    Type.Number({
      exclusiveMinimum: 0,
      exclusiveMaximum: 1,
      description: 'confidence level, e.g. 0.95: each rate gets `lower` and `upper`, exact Poisson (Garwood) limits',
    }),
  ),
};

export const MetricsQuery = Type.Object(
  { ...GroupByQuery, ...FilterQuery, ...CiQuery },
  { additionalProperties: false },
);

const ByMode = Type.Object({
  autonomous: Type.Number(),
  manual: Type.Number(),
  remote: Type.Number(),
  unknown: Type.Number(),
  total: Type.Number(),
});
const Counts = Type.Record(Type.String(), Type.Number());
const Nullable = Type.Union([Type.Number(), Type.Null()]);
/** With `ci`: the rate's interval, in the rate's unit (null without exposure). */
const Interval = { lower: Type.Optional(Nullable), upper: Type.Optional(Nullable) };

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
      ...Interval,
      km_per_disengagement: Nullable,
      by_initiator: Counts,
      by_cause: Counts,
    }),
  ),
});

export const EventsQuery = Type.Object(
  {
    ...GroupByQuery,
    ...FilterQuery,
    ...CiQuery,
    kind: Type.Optional(Type.String({ pattern: '^[a-z_]+(,[a-z_]+)*$' })),
  },
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
      ...Interval,
      by_kind: Type.Record(
        Type.String(),
        Type.Object({ count: Type.Integer(), per_1000_km: Nullable, ...Interval, by_severity: Counts }),
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
      ...Interval,
      by_severity: Counts,
    }),
  ),
});
