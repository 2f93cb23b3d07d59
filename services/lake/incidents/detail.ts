import type { LakeRepository } from '../repository.js';
import type { Scope } from '../scope.js';
import { WINDOW_TOLERANCE } from '../../vocabulary/thresholds.js';
import { reconciledEventsCte } from '../metrics/reconciled-events.js';
import { INCIDENT_COLUMNS, type Incident, type IncidentWindow, type WindowSample } from './incident.js';

/** One incident with the telemetry of its vehicle from `beforeS` before to `afterS` after it. */
export async function incidentDetail(
  repo: LakeRepository,
  scope: Scope,
  id: string,
  window: { beforeS: number; afterS: number },
): Promise<{ incident: Incident; window: IncidentWindow } | null> {
  const cte = reconciledEventsCte({});
  const found = await repo.query(
    scope,
    `WITH ${cte.sql} SELECT ${INCIDENT_COLUMNS.join(', ')} FROM ev WHERE event_id = $id LIMIT 1`,
    { ...cte.params, id },
  );
  const row = found[0];
  if (!row) return null;
  const incident = Object.fromEntries(INCIDENT_COLUMNS.map((c) => [c, row[c] ?? null])) as Incident;
  const t = Date.parse(String(incident.ts));
  const from = new Date(t - window.beforeS * 1000).toISOString();
  const to = new Date(t + window.afterS * 1000).toISOString();
  const fromDate = new Date(Date.parse(from) + 8 * 3600_000).toISOString().slice(0, 10);
  const toDate = new Date(Date.parse(to) + 8 * 3600_000).toISOString().slice(0, 10);
  const samples = (await repo.query(
    scope,
    `SELECT strftime(ts, '%Y-%m-%dT%H:%M:%S.%gZ') AS ts, lat, lon, speed_mps, accel_lon_mps2, accel_lat_mps2, heading_deg, mode
     FROM telemetry WHERE vehicle_id = $v AND date BETWEEN $fd::DATE AND $td::DATE AND ts BETWEEN $from::TIMESTAMPTZ AND $to::TIMESTAMPTZ ORDER BY ts`,
    { v: String(incident.vehicle_id), fd: fromDate, td: toDate, from, to },
  )) as unknown as WindowSample[];
  const times = samples.map((s) => Date.parse(s.ts));
  let maxGap: number | null = null;
  for (let i = 1; i < times.length; i++)
    maxGap = Math.max(maxGap ?? 0, ((times[i] as number) - (times[i - 1] as number)) / 1000);
  const first = times[0];
  const last = times[times.length - 1];
  const missingBefore = first === undefined ? window.beforeS : Math.max(0, (first - Date.parse(from)) / 1000);
  const missingAfter = last === undefined ? window.afterS : Math.max(0, (Date.parse(to) - last) / 1000);
  const complete =
    samples.length > 0 &&
    missingBefore <= WINDOW_TOLERANCE.edgeS &&
    missingAfter <= WINDOW_TOLERANCE.edgeS &&
    (maxGap ?? 0) <= WINDOW_TOLERANCE.maxGapS;
  return {
    incident,
    window: {
      from,
      to,
      complete,
      missing_before_s: missingBefore,
      missing_after_s: missingAfter,
      max_gap_s: maxGap,
      samples,
    },
  };
}
