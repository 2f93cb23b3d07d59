import { Type } from '@sinclair/typebox';
import { Incident, IncidentWindow } from '../../lake/incidents/incident.js';
import { INCIDENT_SORTS, SORT_MEANINGS, type IncidentSort } from '../../lake/incidents/search.js';
import { TRIAGE_STATUSES } from '../../state/triage.js';
import { FilterQuery } from './common.js';

const NUM = '-?\\d+(\\.\\d+)?';

export const IncidentsQuery = Type.Object(
  {
    ...FilterQuery,
    kind: Type.Optional(Type.String({ pattern: '^[a-z_]+(,[a-z_]+)*$', description: 'event kinds, comma-separated' })),
    severity: Type.Optional(Type.String({ pattern: '^[a-z]+(,[a-z]+)*$' })),
    mode: Type.Optional(
      Type.String({ pattern: '^(autonomous|manual|remote|unknown)(,(autonomous|manual|remote|unknown))*$' }),
    ),
    origin: Type.Optional(Type.String({ pattern: '^(logged|detected|imported)(,(logged|detected|imported))*$' })),
    triage_status: Type.Optional(
      Type.String({
        pattern: `^(${TRIAGE_STATUSES.join('|')})(,(${TRIAGE_STATUSES.join('|')}))*$`,
        description: `triage statuses, comma-separated: ${TRIAGE_STATUSES.join(', ')} (new: never triaged or set back)`,
      }),
    ),
    bbox: Type.Optional(
      Type.String({ pattern: `^${NUM},${NUM},${NUM},${NUM}$`, description: 'minLon,minLat,maxLon,maxLat (WGS-84)' }),
    ),
    speed_min: Type.Optional(Type.Number({ minimum: 0, description: 'm/s' })),
    speed_max: Type.Optional(Type.Number({ minimum: 0, description: 'm/s' })),
    // a plain enum (not anyOf consts), so Swagger UI offers every value
    sort: Type.Optional(
      Type.Unsafe<IncidentSort>({
        type: 'string',
        enum: [...INCIDENT_SORTS],
        default: '-ts',
        description: `${Object.entries(SORT_MEANINGS)
          .map(([k, v]) => `${k}: ${v}`)
          .join('; ')}; a leading - sorts largest first`,
      }),
    ),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 50 })),
    cursor: Type.Optional(Type.String({ maxLength: 512 })),
  },
  { additionalProperties: false },
);

export const IncidentsResponse = Type.Object({
  items: Type.Array(Incident),
  total: Type.Integer({ description: 'incidents matching the filters, over all pages' }),
  next_cursor: Type.Union([Type.String(), Type.Null()]),
});

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

export const IncidentDetailResponse = Type.Object({ incident: Incident, window: IncidentWindow });

/** Spelled out (not mapped from TRIAGE_STATUSES) so the literal types survive; a test checks they agree. */
export const TriageStatusSchema = Type.Union([
  Type.Literal('new'),
  Type.Literal('confirmed'),
  Type.Literal('false_positive'),
  Type.Literal('needs_data'),
  Type.Literal('closed'),
]);

export const TriageBody = Type.Object(
  {
    status: Type.Optional(TriageStatusSchema),
    owner: Type.Optional(Type.String({ maxLength: 200, description: 'who owns it; empty clears' })),
    note: Type.Optional(Type.String({ minLength: 1, maxLength: 10_000, description: 'appended with author and time' })),
  },
  { additionalProperties: false, minProperties: 1 },
);

const TriageEntry = Type.Object({
  at: Type.String({ format: 'date-time' }),
  author: Type.String(),
  status: Type.Union([TriageStatusSchema, Type.Null()]),
  owner: Type.Union([Type.String(), Type.Null()]),
  note: Type.Union([Type.String(), Type.Null()]),
});

export const TriageResponse = Type.Object({
  event_id: Type.String(),
  status: TriageStatusSchema,
  owner: Type.Union([Type.String(), Type.Null()]),
  updated_at: Type.Union([Type.String(), Type.Null()]),
  updated_by: Type.Union([Type.String(), Type.Null()]),
  history: Type.Array(TriageEntry),
});
