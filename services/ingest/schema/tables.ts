import { col, type RowOf } from './column.js';

/** One row per sample. Partitioned by `date` (local, Asia/Shanghai) and `company`. */
export const TELEMETRY = {
  company_id: col('str', false, 'test company (partition key `company`)'),
  vehicle_id: col('str', false, 'plate or fleet id'),
  drive_id: col('str', false, '<vehicle>-<UTC start yyyymmddThhmmssZ>: one continuous recording'),
  ts: col('ts', false, 'sample instant, UTC, µs'),
  lat: col('f64', false, 'WGS-84 latitude, degrees'),
  lon: col('f64', false, 'WGS-84 longitude, degrees'),
  speed_mps: col('f64', true, 'speed, m/s (logged, else derived from positions)'),
  heading_deg: col('f64', true, 'course over ground, degrees clockwise from north'),
  accel_lon_mps2: col(
    'f64',
    true,
    'longitudinal acceleration, m/s² (logged where it agrees with speed, else dv/dt fitted over 0.5 s)',
  ),
  accel_lat_mps2: col(
    'f64',
    true,
    'lateral acceleration, m/s², positive to the right (logged where it agrees, else v·dψ/dt over 0.5 s)',
  ),
  mode: col('str', false, 'autonomous | manual | remote | unknown'),
  speed_limit_mps: col('f64', true, 'posted limit of the nearest road (with a road network), m/s'),
  ads_version: col('str', true, 'ADS software version'),
  seg_m: col(
    'f64',
    false,
    'distance from the previous sample of the drive, m (0 at drive start): the time integral of logged speed (trapezoid) when both samples have one, else seg_pos_m',
  ),
  seg_pos_m: col('f64', false, 'haversine distance between the positions of this and the previous sample, m'),
  dt_s: col('f64', true, 'time since the previous sample of the drive, s (null at drive start)'),
  jerk_mps3: col('f64', true, 'd(low-passed accel)/dt, m/s³'),
  district: col('str', true, 'name of the district polygon containing the sample (with --districts)'),
  local_date: col('date', false, 'Asia/Shanghai calendar date (partition key `date`)'),
  source_id: col('str', false, 'catalog id of the source file'),
  source_row: col('i64', false, 'line (text) or record index (binary) in the source'),
} as const;
export type TelemetryRow = RowOf<typeof TELEMETRY>;

/** One row per event. `event_id` is deterministic so re-ingest cannot duplicate. */
export const EVENTS = {
  event_id: col('str', false, 'sha1 of company, vehicle, kind, ts, origin'),
  company_id: col('str', false, 'test company (partition key `company`)'),
  vehicle_id: col('str', false, 'plate or fleet id'),
  drive_id: col('str', true, 'drive of the event when known'),
  ts: col('ts', false, 'start, UTC'),
  ts_end: col('ts', true, 'end, UTC, for episodes'),
  lat: col('f64', true, 'WGS-84 latitude'),
  lon: col('f64', true, 'WGS-84 longitude'),
  kind: col('str', false, 'one of EVENT_KINDS'),
  severity: col('str', true, 'one of SEVERITIES'),
  initiator: col('str', true, 'system | driver | remote | passenger'),
  cause: col('str', true, 'free text or code as recorded'),
  origin: col('str', false, 'logged | detected | imported'),
  speed_mps: col('f64', true, 'speed at the event'),
  peak: col('f64', true, 'kind-specific peak, e.g. lowest acceleration of a braking episode, m/s²'),
  district: col('str', true, 'district at the event position'),
  detail: col('str', true, 'anything else the source said, as JSON text'),
  local_date: col('date', false, 'Asia/Shanghai calendar date (partition key `date`)'),
  source_id: col('str', false, 'catalog id of the source file'),
  source_row: col('i64', false, 'line or record index in the source'),
} as const;
export type EventRow = RowOf<typeof EVENTS>;

/**
 * Distance driven as a regulator reported it (CA DMV mileage reports), partitioned by `company`. Each VIN of a
 * report gives one `total` row (the report's own total for its whole period, as filed) and one `month` row per
 * month it states (exposure per vehicle per month). Our own fleet's exposure stays in `telemetry`.
 */
export const MILEAGE = {
  company_id: col(
    'str',
    false,
    'normalised manufacturer id, `ZOOX, INC` and `ZOOX INC` → `zoox` (partition key `company`)',
  ),
  manufacturer: col('str', false, 'manufacturer name as the report wrote it'),
  vehicle_id: col('str', false, 'VIN as reported (blanks removed, upper case)'),
  permit: col('str', true, 'permit number: AVT… testing with a safety driver, AVDT… driverless'),
  driverless: col('bool', false, 'reported under a driverless permit'),
  report: col('str', false, 'annual | driverless | first_time: which of the DMV’s reports the row comes from'),
  report_year: col('i32', false, 'reporting year the report was filed for (December of the year before to November)'),
  period: col('str', false, 'month: miles driven in `month`; total: the report’s total for `month` … `month_end`'),
  month: col('date', false, 'first day of the month (month rows), or of the first month the total covers'),
  month_end: col('date', false, 'first day of the last month covered (= `month` for month rows)'),
  miles: col('f64', false, 'autonomous miles as reported'),
  km: col('f64', false, 'miles × 1.609344'),
  disengagements: col('i32', true, 'total rows: the VIN’s annual disengagement count as reported'),
  source_id: col('str', false, 'catalog id of the source file'),
  source_row: col('i64', false, 'line in the source'),
} as const;
export type MileageRow = RowOf<typeof MILEAGE>;

/** Rejected rows, partitioned by the local date of ingest. */
export const QUARANTINE = {
  source_id: col('str', false, 'catalog id of the source file'),
  source_file: col('str', false, 'file name as given'),
  line: col('i64', true, '1-based line for text formats'),
  byte_offset: col('i64', true, 'byte offset of the record in the file'),
  reason: col('str', false, 'one of QUARANTINE_REASONS'),
  detail: col('str', false, 'what exactly was wrong, with the value'),
  raw: col('str', false, 'the record as it was (decoded text, or JSON for binary records)'),
  ingested_at: col('ts', false, 'UTC'),
} as const;
export type QuarantineRow = RowOf<typeof QUARANTINE>;

/** One catalog entry per source file content (sha256). */
export const SOURCES = {
  source_id: col('str', false, 'first 16 hex digits of sha256'),
  sha256: col('str', false, 'of the file bytes'),
  file: col('str', false, 'file name as given'),
  bytes: col('i64', false, 'file size'),
  format: col(
    'str',
    false,
    'csv | jsonl | arrow-ipc | mcap | rosbag | nmea | gbt32960 | ca-dmv-mileage | ca-dmv-disengagement | nhtsa-sgo',
  ),
  kind: col('str', false, 'telemetry | events'),
  encoding: col('str', true, 'text encoding used'),
  crs: col('str', false, 'coordinate system of the source, converted to WGS-84'),
  status: col('str', false, 'ingested | failed'),
  error: col('str', true, 'why a failed source failed'),
  rows_in: col('i64', false, 'records read'),
  rows_stored: col('i64', false, 'records written to the lake'),
  rows_quarantined: col('i64', false, 'records quarantined'),
  ts_min: col('ts', true, 'earliest stored sample'),
  ts_max: col('ts', true, 'latest stored sample'),
  ingested_at: col('ts', false, 'UTC'),
} as const;
export type SourceRow = RowOf<typeof SOURCES>;

export const TABLES = {
  telemetry: TELEMETRY,
  events: EVENTS,
  mileage: MILEAGE,
  quarantine: QUARANTINE,
  sources: SOURCES,
} as const;
export type TableName = keyof typeof TABLES;
