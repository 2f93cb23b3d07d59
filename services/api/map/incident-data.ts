import type { DuckDBValue } from '@duckdb/node-api';
import type { LakeRepository } from '../../lake/repository.js';
import { isPublic, type Scope } from '../../lake/scope.js';
import { reconciledEventsCte } from '../../lake/metrics/reconciled-events.js';
import { IS_INCIDENT_SQL } from '../../lake/metrics/vocabulary-sql.js';
import { queryColumns } from './columnar-query.js';
import type { MapFilter } from './map-filter.js';
import { cellCentreSql, coarsenFilter, PUBLIC_VIEW } from './public-view.js';
import { MAP_KINDS, MAP_MODES, MAP_SEVERITIES, NO_CODE, type IncidentMeta, type VehicleRef } from './wire-format.js';

export interface IncidentFilter extends MapFilter {
  kind?: readonly string[];
  severity?: readonly string[];
}

/** Incidents with a position, as columns; `position` interleaved [lon0, lat0, lon1, lat1, …]. */
export interface IncidentData {
  meta: IncidentMeta;
  length: number;
  id: string[];
  position: Float64Array;
  ts: Float64Array;
  kind: Uint8Array;
  severity: Uint8Array;
  mode: Uint8Array;
  vehicle: Uint16Array;
  speed: Float32Array;
}

const COLUMNS = {
  event_id: 'str',
  lon: 'f64',
  lat: 'f64',
  ts_ms: 'f64',
  kind: 'str',
  severity: 'str',
  mode: 'str',
  vehicle_id: 'str',
  company_id: 'str',
  speed: 'f32',
} as const;

/**
 * The incidents the map shows: the same reconciled events as incident search (so ids open in `/api/incidents/:id`),
 * bookkeeping kinds left out, with a position, the earliest `limit` by time. A public caller gets them coarsened
 * in SQL (see public-view.ts): positions on grid-cell centres, times to the minute, no event or vehicle ids.
 */
export async function loadIncidents(
  repo: LakeRepository,
  scope: Scope,
  f: IncidentFilter,
  limit: number,
): Promise<IncidentData> {
  const coarse = isPublic(scope) ? PUBLIC_VIEW : undefined;
  const { mode, bbox, kind, severity, ...metric } = coarse ? coarsenFilter(f, coarse) : f;
  const cte = reconciledEventsCte(metric);
  const params: Record<string, DuckDBValue> = { ...cte.params, i_lim: limit + 1 };
  const where = [IS_INCIDENT_SQL, 'lon IS NOT NULL', 'lat IS NOT NULL'];
  const list = (col: string, name: string, values: readonly string[] | undefined) => {
    if (!values?.length) return;
    where.push(`${col} IN (${values.map((v, i) => ((params[`i_${name}_${i}`] = v), `$i_${name}_${i}`)).join(', ')})`);
  };
  list('kind', 'kind', kind);
  list('severity', 'sev', severity);
  list('mode', 'mode', mode);
  if (bbox) {
    Object.assign(params, { i_minlon: bbox[0], i_minlat: bbox[1], i_maxlon: bbox[2], i_maxlat: bbox[3] });
    where.push('lon BETWEEN $i_minlon AND $i_maxlon AND lat BETWEEN $i_minlat AND $i_maxlat');
  }
  const select = coarse
    ? `'' AS event_id, ${cellCentreSql('lon', coarse.cellDeg)} AS lon, ${cellCentreSql('lat', coarse.cellDeg)} AS lat,
       (round(epoch_ms(ts) / ${coarse.timeS * 1000}) * ${coarse.timeS * 1000})::DOUBLE AS ts_ms, kind, severity, mode, '' AS vehicle_id`
    : `event_id, lon, lat, epoch_ms(ts)::DOUBLE AS ts_ms, kind, severity, mode, vehicle_id`;
  const sql = `WITH ${cte.sql}
    SELECT ${select}, company_id, coalesce(speed_mps, 'NaN'::FLOAT)::FLOAT AS speed
    FROM ev_reconciled WHERE ${where.join(' AND ')}
    ORDER BY ts, event_id LIMIT $i_lim`;
  const { length: found, columns: c } = await queryColumns(repo, scope, sql, params, COLUMNS);
  const length = Math.min(found, limit);

  const vehicles: VehicleRef[] = [];
  const vehicleIndex = new Map<string, number>();
  // keyed by company too: public callers get one anonymous vehicle (id '') per company
  const vehicleOf = (id: string, company: string) => {
    let i = vehicleIndex.get(`${company}/${id}`);
    if (i === undefined) {
      i = vehicles.push({ id, company }) - 1;
      vehicleIndex.set(`${company}/${id}`, i);
    }
    return i;
  };
  const codeOf = (vocab: readonly string[], v: string | null | undefined) => {
    const i = v == null ? -1 : vocab.indexOf(v);
    return i < 0 ? NO_CODE : i;
  };
  const data: IncidentData = {
    meta: { vehicles, kinds: MAP_KINDS, severities: MAP_SEVERITIES, modes: MAP_MODES, truncated: found > limit },
    length,
    id: [],
    position: new Float64Array(length * 2),
    ts: c.ts_ms.slice(0, length),
    kind: new Uint8Array(length),
    severity: new Uint8Array(length),
    mode: new Uint8Array(length),
    vehicle: new Uint16Array(length),
    speed: c.speed.slice(0, length),
  };
  for (let i = 0; i < length; i++) {
    data.id.push(c.event_id[i] ?? '');
    data.position[2 * i] = c.lon[i] as number;
    data.position[2 * i + 1] = c.lat[i] as number;
    data.kind[i] = codeOf(MAP_KINDS, c.kind[i]);
    data.severity[i] = codeOf(MAP_SEVERITIES, c.severity[i]);
    data.mode[i] = codeOf(MAP_MODES, c.mode[i]);
    data.vehicle[i] = vehicleOf(c.vehicle_id[i] ?? '', c.company_id[i] ?? '');
  }
  return data;
}
