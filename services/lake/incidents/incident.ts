import { Type, type Static } from '@sinclair/typebox';

/** A value or null. */
export const Nullable = <T extends ReturnType<typeof Type.String> | ReturnType<typeof Type.Number>>(t: T) =>
  Type.Union([t, Type.Null()]);

/** An incident as search, detail, the map and the report return it: the event with its vehicle's mode and ADS version. */
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
