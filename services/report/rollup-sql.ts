import type { DuckDBValue } from '@duckdb/node-api';
import { whereOf, type MetricFilter } from '../lake/metrics/filters.js';

/**
 * The report's telemetry queries (`detailSql`, `lightSql` in `inputs.ts`) written against the telemetry rollup
 * (`ingest/lake/rollup.ts`): the same rows, re-aggregated by the same keys — one drive-minute may come from two
 * source files of a split drive, so sums add and extremes combine. Only valid when the rollup serves the filter
 * (whole-minute bounds, every source rolled up) and was computed with the report's thresholds.
 */
export function detailRollupSql(filter: MetricFilter): { sql: string; params: Record<string, DuckDBValue> } {
  const w = whereOf(filter);
  return {
    sql: `SELECT any_value(company_id) AS company_id, any_value(vehicle_id) AS vehicle_id, drive_id, mode, district, ads_version, long_us IS NOT NULL AS long_interval,
        sum(n) AS n, sum(seg_m) AS m, sum(dt_s) AS s, sum(m_limit) AS m_limit, sum(m_over) AS m_over, max(max_ratio) AS max_ratio,
        min(t0_us) / 1e6 AS t0, max(t1_us) / 1e6 AS t1, sum(lon_sum) / sum(n) AS lon, sum(lat_sum) / sum(n) AS lat
      FROM rollup WHERE ${w.sql}
      GROUP BY drive_id, ts, mode, district, ads_version, long_us`,
    params: w.params,
  };
}

/**
 * The light rows (by vehicle, day, mode, version) from the rollup. Coverage and gaps come from the long-interval
 * rows: every other row's intervals are at most the rollup's split, which is below both `cover` and `gapS`.
 */
export function lightRollupSql(
  filter: MetricFilter,
  cover: number,
  gapS: number,
): { sql: string; params: Record<string, DuckDBValue> } {
  const w = whereOf(filter);
  const gap = 'long_us IS NOT NULL AND dt_s > $l_gap';
  return {
    sql: `SELECT company_id, vehicle_id, local_date::VARCHAR AS day, mode, ads_version,
        sum(n) AS n, sum(seg_m) AS m, sum(dt_s) AS s,
        sum(CASE WHEN long_us IS NULL OR dt_s <= $l_cover THEN dt_s END) AS covered_s,
        sum((${gap})::INTEGER) AS gaps, sum(CASE WHEN ${gap} THEN dt_s END) AS gap_s, max(CASE WHEN ${gap} THEN dt_s END) AS max_gap,
        sum(m_limit) AS m_limit, sum(m_over) AS m_over, max(max_ratio) AS max_ratio
      FROM rollup WHERE ${w.sql} GROUP BY company_id, vehicle_id, local_date, mode, ads_version`,
    params: { ...w.params, l_cover: cover, l_gap: gapS },
  };
}
