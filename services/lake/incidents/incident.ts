import { Type, type Static } from '@sinclair/typebox';
import { columnSchemas } from '../../ingest/schema/column-schema.js';
import { EVENTS, TELEMETRY } from '../../ingest/schema/tables.js';

/**
 * An incident as search, detail, the map and the report return it: the event's columns as declared, with the mode
 * and ADS version of its vehicle's latest sample at or before it (null when there is none).
 */
export const Incident = Type.Object({
  ...columnSchemas(EVENTS, [
    'event_id',
    'kind',
    'severity',
    'origin',
    'company_id',
    'vehicle_id',
    'drive_id',
    'ts',
    'ts_end',
    'lat',
    'lon',
    'speed_mps',
    'peak',
    'initiator',
    'cause',
    'district',
  ]),
  ...columnSchemas(TELEMETRY, ['mode', 'ads_version'], { nullable: true }),
  ...columnSchemas(EVENTS, ['detail', 'source_id']),
});
export type Incident = Static<typeof Incident>;
export const INCIDENT_COLUMNS = Object.keys(Incident.properties) as (keyof Incident)[];

/** One telemetry sample of an incident's window. */
export const WindowSample = Type.Object(
  columnSchemas(TELEMETRY, [
    'ts',
    'lat',
    'lon',
    'speed_mps',
    'accel_lon_mps2',
    'accel_lat_mps2',
    'heading_deg',
    'mode',
  ]),
);
export type WindowSample = Static<typeof WindowSample>;

/** The telemetry around an incident, and whether it makes a complete record (`incidentDetail`). */
export const IncidentWindow = Type.Object({
  from: Type.String(),
  to: Type.String(),
  complete: Type.Boolean(),
  missing_before_s: Type.Number(),
  missing_after_s: Type.Number(),
  max_gap_s: Type.Union([Type.Number(), Type.Null()]),
  samples: Type.Array(WindowSample),
});
export type IncidentWindow = Static<typeof IncidentWindow>;
