import type { LakeTableName } from './paths.js';

/**
 * SQL text shared by the lake's writers (ingest, detection, rollup) and its readers (the API's views and mirrors,
 * the SQL sandbox): quoting, the Hive partition keys of each dataset and the read of its files.
 */

/** Runs SQL on a DuckDB connection (the ingest's writer, a detection pass over staged files). */
export interface SqlRunner {
  run(sql: string): Promise<unknown>;
  /** Runs a query and returns its rows as plain objects. */
  rows(sql: string): Promise<Record<string, unknown>[]>;
}

/** A SQL string literal. */
export function sqlString(s: string): string {
  return `'${s.replaceAll("'", "''")}'`;
}

/** A quoted SQL identifier. */
export function ident(s: string): string {
  return `"${s.replaceAll('"', '""')}"`;
}

/** A struct literal of name → type text, as `read_json(columns = …)` takes it. */
export function structLiteral(columns: Readonly<Record<string, string>>): string {
  return `{${Object.entries(columns)
    .map(([k, v]) => `${sqlString(k)}: ${sqlString(v)}`)
    .join(', ')}}`;
}

/** The Hive partition keys of each lake dataset, in path order, name → DuckDB type. */
export const PARTITIONS = {
  telemetry: { date: 'DATE', company: 'VARCHAR' },
  events: { date: 'DATE', company: 'VARCHAR' },
  mileage: { company: 'VARCHAR' },
  quarantine: { date: 'DATE' },
  rollup: { date: 'DATE', company: 'VARCHAR' },
} as const satisfies Record<LakeTableName, Readonly<Record<string, string>>>;

/** The `PARTITION_BY (…)` option of a COPY writing a dataset's files. */
export function partitionBy(table: LakeTableName): string {
  return `PARTITION_BY (${Object.keys(PARTITIONS[table]).join(', ')})`;
}

/**
 * A Hive read of a dataset's Parquet files (a glob or a list), with `options` appended. Partition values keep their
 * text (`hive_types_autocast = false`): a company "0755" stays "0755", as the ingest wrote it.
 */
export function hiveScan(
  files: string | readonly string[],
  table: LakeTableName,
  options: readonly string[] = [],
): string {
  const list = typeof files === 'string' ? sqlString(files) : `[${files.map(sqlString).join(', ')}]`;
  const types = Object.entries(PARTITIONS[table]).map(([k, t]) => `${sqlString(k)}: ${t}`);
  return `read_parquet(${[list, 'hive_partitioning = true', `hive_types = {${types.join(', ')}}`, 'hive_types_autocast = false', ...options].join(', ')})`;
}
