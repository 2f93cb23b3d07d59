/**
 * The numeric columns the telemetry pipeline hands to DuckDB (one table-function chunk at a time). Strings travel
 * as dictionary codes (1-based, 0 = null) and floats use NaN for null: both are resolved in the COPY's SELECT, so
 * no per-value call crosses into DuckDB.
 */
export const SCAN_COLUMNS = {
  ts_us: 'f64',
  lat: 'f64',
  lon: 'f64',
  speed_mps: 'f64',
  heading_deg: 'f64',
  accel_lon_mps2: 'f64',
  accel_lat_mps2: 'f64',
  seg_m: 'f64',
  seg_pos_m: 'f64',
  dt_s: 'f64',
  jerk_mps3: 'f64',
  speed_limit_mps: 'f64',
  drive_start_us: 'f64',
  source_row: 'f64',
  company: 'u32',
  vehicle: 'u32',
  mode: 'u32',
  ads: 'u32',
  district: 'u32',
} as const;

export type ScanColumn = keyof typeof SCAN_COLUMNS;
export const SCAN_COLUMN_NAMES = Object.keys(SCAN_COLUMNS) as ScanColumn[];

type ArrayOf<K extends 'f64' | 'u32'> = K extends 'f64' ? Float64Array : Uint32Array;

/** A block of normalised rows in scan-column layout. */
export type ScanBlock = { readonly [C in ScanColumn]: ArrayOf<(typeof SCAN_COLUMNS)[C]> };

export function allocateScanBlock(capacity: number): ScanBlock {
  const out: Record<string, Float64Array | Uint32Array> = {};
  for (const c of SCAN_COLUMN_NAMES)
    out[c] = SCAN_COLUMNS[c] === 'f64' ? new Float64Array(capacity) : new Uint32Array(capacity);
  return out as ScanBlock;
}
