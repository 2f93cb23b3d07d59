import { MAP_MODES } from './wire-format.js';
import type { MapWhere } from './map-filter.js';

/** Mode name → its code in the wire format, as a SQL expression over `mode`. */
export const MODE_CODE_SQL = `(CASE mode ${MAP_MODES.map((m, i) => `WHEN '${m}' THEN ${i}`).join(' ')} ELSE ${MAP_MODES.indexOf('unknown')} END)::UTINYINT`;

/** One row per drive with samples in the filter: the dictionary and extent the points query is coded against. */
export function routeDrivesSql(w: MapWhere): string {
  return `SELECT drive_id, any_value(vehicle_id) AS vehicle_id, any_value(company_id) AS company_id, count(*) AS n,
      epoch_us(min(ts)) AS t_min_us, epoch_us(max(ts)) AS t_max_us,
      min(lon) AS min_lon, max(lon) AS max_lon, min(lat) AS min_lat, max(lat) AS max_lat
    FROM telemetry WHERE ${w.base} AND ${w.inside}
    GROUP BY drive_id ORDER BY drive_id`;
}

export interface PointsPlan {
  /** Grid cell of the level-of-detail thinning, degrees, or null for every sample. */
  cellDeg: number | null;
  /** Without a grid: keep every `stride`-th sample (besides piece ends), 1 = all. */
  stride: number;
}

/** Whether the points query sorts (it runs windows over each drive in time order when it thins or cuts). */
export function routePointsOrdered(w: MapWhere, plan: PointsPlan): boolean {
  return w.inside !== 'true' || plan.cellDeg !== null || plan.stride > 1;
}

/** Columns the points query returns, in order (see `queryColumns`). */
export const POINT_COLUMNS = { x: 'f32', y: 'f32', t: 'f32', speed: 'f32', mode: 'u8', drive: 'u32', brk: 'u8' } as const;

/**
 * The samples of the drives in `$r_drives` (drive codes = list positions), as offsets from ($r_lon0, $r_lat0) and
 * seconds from $r_t0_us, ordered by drive and time when thinned (`routePointsOrdered`), in file order otherwise. Thinning happens here, per drive in time order: a sample is
 * kept when it enters another grid cell than its predecessor's or the mode changes (level of detail), else on the
 * stride; the first and last sample of every piece are always kept so paths start, end and break where they should.
 * `brk` marks a sample whose predecessor in the drive was filtered out (a new piece of the same drive).
 */
export function routePointsSql(w: MapWhere, plan: PointsPlan): string {
  const windowed = routePointsOrdered(w, plan);
  const grid = plan.cellDeg !== null ? `, floor(lon * $r_inv_cell) AS gx, floor(lat * $r_inv_cell) AS gy` : '';
  const select = (brk: string) => `SELECT (lon - $r_lon0)::FLOAT AS x, (lat - $r_lat0)::FLOAT AS y, ((epoch_us(ts) - $r_t0_us) / 1e6)::FLOAT AS t,
      coalesce(speed_mps, 'NaN'::FLOAT)::FLOAT AS speed, ${MODE_CODE_SQL} AS mode, dc AS drive, ${brk}::UTINYINT AS brk`;
  const source = `WITH dict AS (
      SELECT unnest($r_drives) AS drive_id, (generate_subscripts($r_drives, 1) - 1)::UINTEGER AS dc
    ),
    s AS (
      SELECT d.dc, t.ts, t.lon, t.lat, t.speed_mps, t.mode, (${w.inside}) AS inside${grid}
      FROM telemetry t JOIN dict d ON t.drive_id = d.drive_id
      WHERE ${w.base}
    )`;
  // every sample: no ORDER BY, the caller checks the files' order and sorts only if needed (see drive-order.ts)
  if (!windowed) return `${source} ${select('0')} FROM s`;
  const keep = plan.cellDeg !== null ? 'gx <> p_gx OR gy <> p_gy OR mode <> p_mode' : plan.stride > 1 ? `rn % ${Math.floor(plan.stride)} = 0` : 'true';
  const lod = plan.cellDeg !== null ? ', lag(gx) OVER w AS p_gx, lag(gy) OVER w AS p_gy, lag(mode) OVER w AS p_mode' : '';
  const rn = plan.cellDeg === null && plan.stride > 1 ? ', row_number() OVER w AS rn' : '';
  return `${source},
    k AS (
      SELECT *, lag(inside) OVER w AS p_in, lead(inside) OVER w AS n_in${lod}${rn}
      FROM s WINDOW w AS (PARTITION BY dc ORDER BY ts)
    )
    ${select('(p_in IS DISTINCT FROM true)')} FROM k
    WHERE inside AND (p_in IS DISTINCT FROM true OR n_in IS DISTINCT FROM true OR ${keep})
    ORDER BY dc, ts`;
}
