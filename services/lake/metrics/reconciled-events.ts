import type { DuckDBValue } from '@duckdb/node-api';
import { sqlString } from '../../ingest/lake/sql.js';
import { EXPLAINED_EXITS } from '../../vocabulary/event-kinds.js';
import { whereOf, type MetricFilter } from './filters.js';

/** A detected mode change and a logged event this close are the same moment, s. */
export const MATCH_WINDOW_S = 2;

/**
 * CTEs `ev` — events in the filter, each with the driving mode and ADS version of its vehicle's latest sample at
 * or before it (ASOF join) — and `ev_reconciled` — `ev` without detected disengagements that a logged event
 * explains. Disengagements are then: logged ones, plus autonomous→manual/remote changes the vehicle did not log.
 */
export function reconciledEventsCte(
  filter: MetricFilter,
  withContext = true,
): { sql: string; params: Record<string, DuckDBValue> } {
  const { ads_version: ads, ...rest } = filter;
  const w = whereOf(rest, 'e');
  const t = whereOf(
    {
      ...(filter.from !== undefined ? { from: new Date(Date.parse(filter.from) - 86_400_000).toISOString() } : {}),
      ...(filter.to !== undefined ? { to: filter.to } : {}),
      ...(filter.vehicle ? { vehicle: filter.vehicle } : {}),
      ...(filter.company ? { company: filter.company } : {}),
    },
    't',
  );
  const adsFilter = ads?.length ? `WHERE ads_version IN (${ads.map((_, i) => `$e_adsv_${i}`).join(', ')})` : '';
  const params: Record<string, DuckDBValue> = { ...w.params, ...(withContext || ads?.length ? t.params : {}) };
  ads?.forEach((v, i) => (params[`e_adsv_${i}`] = v));
  // The logged events that can explain one in the filter: same vehicle, within MATCH_WINDOW_S of the filter's
  // time bounds — so the lookup reads the filter's date partitions, not every event file of the lake.
  const widen = (iso: string | undefined, s: number) =>
    iso === undefined ? {} : { [s < 0 ? 'from' : 'to']: new Date(Date.parse(iso) + s * 1000).toISOString() };
  const p = whereOf(
    {
      ...widen(filter.from, -MATCH_WINDOW_S),
      ...widen(filter.to, MATCH_WINDOW_S),
      ...(filter.vehicle ? { vehicle: filter.vehicle } : {}),
    },
    'p',
  );
  Object.assign(params, p.params);
  const explained = EXPLAINED_EXITS.map(sqlString).join(', ');
  // Without context (no mode or ADS-version filter or grouping), skip the ASOF join over telemetry.
  const ev =
    !withContext && !ads?.length
      ? `ev AS (SELECT *, NULL::VARCHAR AS mode, NULL::VARCHAR AS ads_version FROM events WHERE ${w.sql})`
      : null;
  const sql = `${
    ev ??
    `ev AS (
      SELECT * FROM (
        SELECT e.*, s.mode AS mode, s.ads_version AS ads_version
        FROM (SELECT * FROM events WHERE ${w.sql}) e
        ASOF LEFT JOIN (SELECT vehicle_id, ts, mode, ads_version FROM telemetry WHERE ${t.sql}) s
          ON e.vehicle_id = s.vehicle_id AND e.ts >= s.ts
      ) ${adsFilter}
    )`
  },
    ev_reconciled AS (
      SELECT * FROM ev d
      WHERE NOT (d.origin = 'detected' AND d.kind = 'disengagement' AND EXISTS (
        SELECT 1 FROM (SELECT vehicle_id, ts, origin, kind FROM events WHERE ${p.sql}) p
        WHERE p.origin = 'logged' AND p.kind IN (${explained}) AND p.vehicle_id = d.vehicle_id
          AND p.ts BETWEEN d.ts - INTERVAL ${MATCH_WINDOW_S} SECOND AND d.ts + INTERVAL ${MATCH_WINDOW_S} SECOND))
    )`;
  return { sql, params };
}
