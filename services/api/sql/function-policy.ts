import type { SqlRejectCode } from './errors.js';

/** The only table functions a user query may call: they make rows from their arguments and touch nothing else. */
export const ALLOWED_TABLE_FUNCTIONS: ReadonlySet<string> = new Set(['range', 'generate_series', 'unnest', 'json_each', 'json_tree']);

/** The lake's views, the only catalog names a user query may read. */
export const LAKE_VIEWS = ['telemetry', 'events', 'quarantine', 'sources'] as const;
export type LakeView = (typeof LAKE_VIEWS)[number];

/** Functions (table or scalar) whose job is reading or listing files. */
const FILE_FUNCTION = /^(read_|parquet_|iceberg_|delta_|sqlite_|postgres_|mysql_|st_read|sniff_csv$|glob$|arrow_scan|csv_|json_scan|seq_scan$|ducklake_)/u;

/**
 * Scalar functions and macros a user query may not call, although DuckDB would let it: they read configuration
 * or the environment (paths of the lake and of the machine), read catalog metadata or plans (the lake's paths
 * are in the view definitions), run SQL text past the statement inspection, or block a thread.
 */
const FORBIDDEN_SCALAR = new Set([
  'getenv',
  'current_setting',
  'getvariable',
  'json_serialize_plan',
  'json_execute_serialized_sql',
  'pg_get_viewdef',
  'pg_get_constraintdef',
  'get_block_size',
  'sleep_ms',
  'pg_sleep',
  'write_log',
  'nextval',
  'currval',
  'query',
  'query_table',
  'which_secret',
  'sql_auto_complete',
  'checkpoint',
  'force_checkpoint',
  'truncate_duckdb_logs',
]);
const FORBIDDEN_SCALAR_PREFIX = /^(duckdb_|pragma_|enable_|disable_)/u;

/** Why a table function may not be called, or null when it may. */
export function tableFunctionVerdict(name: string): SqlRejectCode | null {
  const n = name.toLowerCase();
  if (ALLOWED_TABLE_FUNCTIONS.has(n)) return null;
  return FILE_FUNCTION.test(n) ? 'file_access' : 'forbidden_function';
}

/** Why a scalar, aggregate or window function may not be called, or null when it may. */
export function scalarFunctionVerdict(name: string): SqlRejectCode | null {
  const n = name.toLowerCase();
  if (FILE_FUNCTION.test(n)) return 'file_access';
  if (FORBIDDEN_SCALAR.has(n) || FORBIDDEN_SCALAR_PREFIX.test(n)) return 'forbidden_function';
  return null;
}

/** Whether a table name is really a path (a replacement scan such as `FROM 'data.csv'` or `FROM '/etc/passwd'`). */
export function looksLikePath(name: string): boolean {
  return /[/\\.:~*?]/u.test(name);
}
