import type { SqlRejectCode } from './errors.js';

/** The only table functions a user query may call: they make rows from their arguments and touch nothing else. */
export const ALLOWED_TABLE_FUNCTIONS: ReadonlySet<string> = new Set([
  'range',
  'generate_series',
  'unnest',
  'json_each',
  'json_tree',
]);

/** The lake's views, the only catalog names a user query may read. */
export const LAKE_VIEWS = ['telemetry', 'events', 'quarantine', 'sources'] as const;
export type LakeView = (typeof LAKE_VIEWS)[number];

/** Functions (table or scalar) whose job is reading or listing files. */
const FILE_FUNCTION =
  /^(read_|parquet_|iceberg_|delta_|sqlite_|postgres_|mysql_|st_read|sniff_csv$|glob$|arrow_scan|csv_|json_scan|seq_scan$|ducklake_)/u;

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

/**
 * Scalar functions whose result grows with an argument. DuckDB neither counts one huge value against its
 * `memory_limit` nor interrupts a single long function call (checked on 1.5: `len(range(300000000))` grew the
 * process by gigabytes after its query had timed out), so the size argument must be a small constant.
 * Index of the size argument and its cap; `all` means every argument.
 */
const AMPLIFIERS: Record<string, { args: number[] | 'all'; max: number }> = {
  repeat: { args: [1], max: 1000 },
  lpad: { args: [1], max: 1000 },
  rpad: { args: [1], max: 1000 },
  bar: { args: [3], max: 1000 },
  to_base: { args: [2], max: 1000 },
  list_resize: { args: [1], max: 10_000 },
  array_resize: { args: [1], max: 10_000 },
  equi_width_bins: { args: [2], max: 10_000 },
  range: { args: 'all', max: 10_000 },
  generate_series: { args: 'all', max: 10_000 },
};
const FORMATTERS = new Set(['printf', 'format']);

export function isAmplifier(name: string): boolean {
  const n = name.toLowerCase();
  return n in AMPLIFIERS || FORMATTERS.has(n);
}

/** Why a call of an amplifying function is refused (its size is not a small constant), or null. */
export function amplifierProblem(name: string, args: readonly unknown[]): string | null {
  const n = name.toLowerCase();
  if (FORMATTERS.has(n)) {
    const format = constantOf(args[0]);
    if (typeof format !== 'string') return `${n}() needs a constant format string here`;
    if (/\*|\d{4,}|\{[^}]*\{/u.test(format))
      return `${n}() widths above 999 (or taken from arguments) are not allowed here`;
    return null;
  }
  const rule = AMPLIFIERS[n];
  if (!rule) return null;
  const indexes = rule.args === 'all' ? args.map((_, i) => i) : rule.args;
  for (const i of indexes) {
    if (i >= args.length) continue;
    const v = constantOf(args[i]);
    if (typeof v !== 'number' || !Number.isInteger(v) || Math.abs(v) > rule.max) {
      return `${n}() needs a constant size of at most ${rule.max} here (a larger value could exhaust memory outside the sandbox's limit)`;
    }
  }
  return null;
}

/** The value of a constant expression node (a literal, or a negated literal), else undefined. */
function constantOf(node: unknown): unknown {
  if (typeof node !== 'object' || node === null) return undefined;
  const o = node as Record<string, unknown>;
  if (o.class === 'CONSTANT') {
    const value = o.value as { is_null?: boolean; value?: unknown } | undefined;
    return value && !value.is_null ? value.value : undefined;
  }
  if (o.class === 'FUNCTION' && o.function_name === '-' && Array.isArray(o.children) && o.children.length === 1) {
    const inner = constantOf(o.children[0]);
    return typeof inner === 'number' ? -inner : undefined;
  }
  if (o.class === 'CAST') return constantOf(o.child);
  return undefined;
}
