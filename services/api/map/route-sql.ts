import { MAP_MODES } from './wire-format.js';
import type { MapWhere } from './map-filter.js';
import { cellCentreSql, type PublicView } from './public-view.js';

/** Mode name → its code in the wire format, as a SQL expression over `mode`. */
export const MODE_CODE_SQL = `(CASE mode ${MAP_MODES.map((m, i) => `WHEN '${m}' THEN ${i}`).join(' ')} ELSE ${MAP_MODES.indexOf('unknown')} END)::UTINYINT`;

/**
 * One row per drive with samples in the filter: the dictionary the points query is coded against, the extent,
 * the first and last sample (always sent) and the distance driven (to size the sampling for a level of detail).
 */
export function routeDrivesSql(w: MapWhere): string {
  return `SELECT drive_id, any_value(vehicle_id) AS vehicle_id, any_value(company_id) AS company_id, count(*) AS n,
      epoch_us(min(ts)) AS t_min_us, epoch_us(max(ts)) AS t_max_us, coalesce(sum(seg_m), 0) AS length_m,
      min(lon) AS min_lon, max(lon) AS max_lon, min(lat) AS min_lat, max(lat) AS max_lat
    FROM telemetry WHERE ${w.base} AND ${w.inside}
    GROUP BY drive_id ORDER BY drive_id`;
}

/** Columns the points query returns, in order (see `queryColumns`). */
export const POINT_COLUMNS = {
  x: 'f32',
  y: 'f32',
  t: 'f32',
  speed: 'f32',
  mode: 'u8',
  drive: 'u32',
  inside: 'u8',
} as const;

/**
 * The samples of the drives in `$r_drives` (drive codes = list positions) as offsets from ($r_lon0, $r_lat0) and
 * seconds from $r_t0_us, in the lake files' order (no sort: see drive-order.ts). With `sampleEvery` k > 1, about
 * one sample in k is read, chosen by a hash of its time (no aliasing with sampling rates or interleaved vehicles,
 * as a row number modulo k would have), plus each drive's first and last; thinning to the grid is a linear pass
 * afterwards (level-of-detail.ts). A window over each drive would do it in SQL, but sorts every sample first:
 * three times the cost of the scan here.
 *
 * `inside` marks samples the mode and box filters keep; the others come along (sampled like the rest) so the
 * pass can break a drive into pieces where the filters cut samples out.
 *
 * With `coarse` (a public viewer), positions leave DuckDB already snapped to grid-cell centres and times to
 * `coarse.timeS`: full precision never reaches the process serving the response.
 */
export function routePointsSql(w: MapWhere, sampleEvery: number, coarse?: PublicView): string {
  // k goes in as a literal: as a parameter DuckDB evaluates the filter several times slower
  const k = Math.max(1, Math.floor(sampleEvery));
  const lon = coarse ? cellCentreSql('lon', coarse.cellDeg) : 'lon';
  const lat = coarse ? cellCentreSql('lat', coarse.cellDeg) : 'lat';
  const t = coarse
    ? `round((epoch_us(ts) - $r_t0_us) / ${coarse.timeS * 1e6}) * ${coarse.timeS}`
    : '((epoch_us(ts) - $r_t0_us) / 1e6)';
  const sample = k > 1 ? `AND (hash(epoch_us(t.ts)) % ${k} = 0 OR epoch_us(t.ts) IN (d.t_min, d.t_max))` : '';
  return `WITH dict AS (
      SELECT unnest($r_drives) AS drive_id, (generate_subscripts($r_drives, 1) - 1)::UINTEGER AS dc,
        unnest($r_t_min)::BIGINT AS t_min, unnest($r_t_max)::BIGINT AS t_max
    )
    SELECT (${lon} - $r_lon0)::FLOAT AS x, (${lat} - $r_lat0)::FLOAT AS y, (${t})::FLOAT AS t,
      coalesce(speed_mps, 'NaN'::FLOAT)::FLOAT AS speed, ${MODE_CODE_SQL} AS mode, dc AS drive, (${w.inside})::UTINYINT AS inside
    FROM telemetry t JOIN dict d ON t.drive_id = d.drive_id
    WHERE ${w.base} ${sample}`;
}
