import { Type, type Static } from '@sinclair/typebox';
import { FilterQuery } from './common.js';

const NUM = '-?\\d+(\\.\\d+)?';

export const INCIDENT_SORTS = ['ts', '-ts', 'speed', '-speed', 'peak', '-peak', 'severity', '-severity'] as const;
export type IncidentSort = (typeof INCIDENT_SORTS)[number];

export const IncidentsQuery = Type.Object(
  {
    ...FilterQuery,
    kind: Type.Optional(Type.String({ pattern: '^[a-z_]+(,[a-z_]+)*$', description: 'event kinds, comma-separated' })),
    severity: Type.Optional(Type.String({ pattern: '^[a-z]+(,[a-z]+)*$' })),
    mode: Type.Optional(
      Type.String({ pattern: '^(autonomous|manual|remote|unknown)(,(autonomous|manual|remote|unknown))*$' }),
    ),
    origin: Type.Optional(Type.String({ pattern: '^(logged|detected|imported)(,(logged|detected|imported))*$' })),
    bbox: Type.Optional(
      Type.String({ pattern: `^${NUM},${NUM},${NUM},${NUM}$`, description: 'minLon,minLat,maxLon,maxLat (WGS-84)' }),
    ),
    speed_min: Type.Optional(Type.Number({ minimum: 0, description: 'm/s' })),
    speed_max: Type.Optional(Type.Number({ minimum: 0, description: 'm/s' })),
    sort: Type.Optional(
      Type.Union(
        INCIDENT_SORTS.map((s) => Type.Literal(s)),
        { default: '-ts' },
      ),
    ),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 50 })),
    cursor: Type.Optional(Type.String({ maxLength: 512 })),
  },
  { additionalProperties: false },
);

const Nullable = <T extends ReturnType<typeof Type.String> | ReturnType<typeof Type.Number>>(t: T) =>
  Type.Union([t, Type.Null()]);

export const Incident = Type.Object({
  event_id: Type.String(),
  kind: Type.String(),
  severity: Nullable(Type.String()),
  origin: Type.String(),
  company_id: Type.String(),
  vehicle_id: Type.String(),
  drive_id: Nullable(Type.String()),
  ts: Type.String(),
  ts_end: Nullable(Type.String()),
  lat: Nullable(Type.Number()),
  lon: Nullable(Type.Number()),
  speed_mps: Nullable(Type.Number()),
  peak: Nullable(Type.Number()),
  initiator: Nullable(Type.String()),
  cause: Nullable(Type.String()),
  district: Nullable(Type.String()),
  mode: Nullable(Type.String()),
  ads_version: Nullable(Type.String()),
  detail: Nullable(Type.String()),
  source_id: Type.String(),
});
export type Incident = Static<typeof Incident>;
export const INCIDENT_COLUMNS = Object.keys(Incident.properties) as (keyof Incident)[];

export const IncidentsResponse = Type.Object({ items: Type.Array(Incident), next_cursor: Nullable(Type.String()) });

export const IncidentParams = Type.Object(
  { id: Type.String({ pattern: '^[0-9a-f]{8,64}$' }) },
  { additionalProperties: false },
);
export const IncidentDetailQuery = Type.Object(
  {
    before: Type.Optional(
      Type.Number({ minimum: 0, maximum: 3600, default: 90, description: 'seconds of telemetry before the incident' }),
    ),
    after: Type.Optional(Type.Number({ minimum: 0, maximum: 3600, default: 30, description: 'seconds after' })),
  },
  { additionalProperties: false },
);

export const IncidentDetailResponse = Type.Object({
  incident: Incident,
  window: Type.Object({
    from: Type.String(),
    to: Type.String(),
    complete: Type.Boolean(),
    missing_before_s: Type.Number(),
    missing_after_s: Type.Number(),
    max_gap_s: Nullable(Type.Number()),
    samples: Type.Array(
      Type.Object({
        ts: Type.String(),
        lat: Type.Number(),
        lon: Type.Number(),
        speed_mps: Nullable(Type.Number()),
        accel_lon_mps2: Nullable(Type.Number()),
        accel_lat_mps2: Nullable(Type.Number()),
        heading_deg: Nullable(Type.Number()),
        mode: Type.String(),
      }),
    ),
  }),
});
