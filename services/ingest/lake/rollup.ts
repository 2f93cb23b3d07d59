import { SPEEDING_MARGIN, WINDOW_TOLERANCE } from '../../vocabulary/thresholds.js';
import { col } from '../schema/column.js';

/**
 * The telemetry rollup: written with each source's telemetry, in the same staged commit, as
 * `lake/rollup/date=…/company=…/part-<source_id>-….parquet`. One row per drive, minute, mode, district and ADS
 * version of the source's samples — except that every sample ending an interval longer than `longIntervalS` is a
 * row of its own (`long_us` set): recording gaps and the intervals that can break an incident window stay exact.
 *
 * Sums are named after the telemetry column they sum (`seg_m` is Σ seg_m, `dt_s` is Σ dt_s) and the row carries
 * `ts` (its minute's start), `local_date` and the keys, so that an exposure query written for the telemetry runs
 * unchanged on the rollup for any time filter on whole minutes. A drive split across two source files can put one
 * minute in two rollup files: readers re-aggregate by their keys (sums add, extremes combine).
 */
export const ROLLUP = {
  ts: col('ts', false, 'start of the minute bucket (UTC); every sample of the row is in [ts, ts + 1 min)'),
  local_date: col(
    'date',
    false,
    'Asia/Shanghai date of the samples (partition key `date`; a minute never crosses a local day)',
  ),
  company_id: col('str', false, 'test company (partition key `company`)'),
  vehicle_id: col('str', false, 'vehicle'),
  drive_id: col('str', false, 'drive'),
  mode: col('str', false, 'driving mode of the samples'),
  district: col('str', true, 'district of the samples'),
  ads_version: col('str', true, 'ADS version of the samples'),
  long_us: col(
    'i64',
    true,
    "a long-interval row: its one sample, µs since the epoch (null: the minute's other samples)",
  ),
  n: col('i64', false, 'samples'),
  seg_m: col('f64', false, 'Σ seg_m, m'),
  dt_s: col('f64', true, 'Σ dt_s, s'),
  m_limit: col('f64', true, 'Σ seg_m where the posted limit is known, m'),
  m_over: col('f64', true, 'Σ seg_m where speed > limit × (1 + speedingTolerance), m'),
  max_ratio: col('f64', true, 'highest speed / posted limit'),
  t0_us: col('i64', false, 'first sample, µs since the epoch'),
  t1_us: col('i64', false, 'last sample, µs since the epoch'),
  lon_sum: col('f64', false, 'Σ lon (mean position = lon_sum / n)'),
  lat_sum: col('f64', false, 'Σ lat'),
  source_id: col('str', false, 'catalog id of the source file'),
} as const;

/**
 * The thresholds a rollup is computed with. A reader whose thresholds differ (a report with a custom speeding
 * tolerance or window edge) reads the telemetry instead. Changing these means rebuilding every rollup
 * (`backfillRollups` with `rebuild`).
 */
export const ROLLUP_PARAMS = {
  /** Bucket width, s (the report's route resolution). */
  bucketS: 60,
  /** Samples ending a longer interval are rows of their own, s (the report's window edge tolerance and gap floor). */
  longIntervalS: WINDOW_TOLERANCE.edgeS,
  /** m_over counts speed above limit × (1 + this). */
  speedingTolerance: SPEEDING_MARGIN,
} as const;

const num = (x: number) => `${String(x)}::DOUBLE`;

/**
 * `SELECT` of the rollup rows (plus the partition columns `date` and `company`) of a telemetry relation that has
 * the lake's telemetry columns and its Hive `date`.
 */
export function rollupSelect(telemetry: string): string {
  const p = ROLLUP_PARAMS;
  const bucketUs = p.bucketS * 1_000_000;
  return `SELECT make_timestamp(b * ${bucketUs})::TIMESTAMPTZ AS ts, date AS local_date, company_id, vehicle_id, drive_id, mode, district, ads_version, long_us,
      count(*) AS n, sum(seg_m) AS seg_m, sum(dt_s) AS dt_s,
      sum(CASE WHEN speed_limit_mps > 0 THEN seg_m END) AS m_limit,
      sum(CASE WHEN speed_mps > speed_limit_mps * (1 + ${num(p.speedingTolerance)}) THEN seg_m END) AS m_over,
      max(CASE WHEN speed_limit_mps > 0 THEN speed_mps / speed_limit_mps END) AS max_ratio,
      epoch_us(min(ts)) AS t0_us, epoch_us(max(ts)) AS t1_us, sum(lon) AS lon_sum, sum(lat) AS lat_sum, source_id,
      date, company_id AS company
    FROM (SELECT *, epoch_us(ts) // ${bucketUs} AS b, CASE WHEN dt_s > ${num(p.longIntervalS)} THEN epoch_us(ts) END AS long_us FROM ${telemetry})
    GROUP BY date, company_id, vehicle_id, drive_id, b, mode, district, ads_version, long_us, source_id
    ORDER BY drive_id, b, long_us NULLS FIRST`;
}
