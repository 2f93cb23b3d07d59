import fs from 'node:fs';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { LakePaths, LakeTableName } from '../ingest/lake/paths.js';
import { ROLLUP } from '../ingest/lake/rollup.js';
import { hiveScan, PARTITIONS, sqlString, structLiteral } from '../ingest/lake/sql.js';
import { duckdbColumnsOf } from '../ingest/schema/column.js';
import { EVENTS, MILEAGE, QUARANTINE, SOURCES, TELEMETRY } from '../ingest/schema/tables.js';
import type { LakeMirror } from './mirror.js';

/**
 * The views over the lake, built here for both of its readers: the API's DuckDB (`lake-db.ts`, schema `main`) and
 * the SQL sandbox's (`sql/lake-views.ts`). Each table's view has the declared columns in declared order, cast,
 * then its Hive partition keys; `rollup` is the telemetry rollup written with each source (`ingest/lake/rollup.ts`),
 * internal to the metrics and reports. `sources` reads the catalog, and `_avlog_source_companies` (internal: user
 * SQL cannot name it) which companies' rows each source wrote, for the company scope (`company-scope.ts`).
 */
export const LAKE_TABLES = [
  'telemetry',
  'events',
  'mileage',
  'quarantine',
  'rollup',
] as const satisfies readonly LakeTableName[];
export type LakeTable = (typeof LAKE_TABLES)[number];

/** Internal view: source → company of each lake file the catalog lists for it. */
export const SOURCE_COMPANIES = '_avlog_source_companies';

const DECLS = {
  telemetry: TELEMETRY,
  events: EVENTS,
  mileage: MILEAGE,
  quarantine: QUARANTINE,
  rollup: ROLLUP,
} as const;

/** A table view's columns, name → DuckDB type: the declared ones, then the partition keys. */
export function tableColumns(table: LakeTable): Record<string, string> {
  return { ...duckdbColumnsOf(DECLS[table]), ...PARTITIONS[table] };
}

/**
 * The Hive read of one table's files. No `union_by_name`: it makes DuckDB open every file's footer at bind time,
 * per query (seconds with thousands of partitions); files are written with the declared columns.
 */
export function parquetScan(paths: LakePaths, table: LakeTable): string {
  return hiveScan(path.join(paths.table(table), '**', '*.parquet'), table);
}

/** Whether a table has a Parquet file yet (depth-first, stopping at the first found). */
export function tableHasFiles(paths: LakePaths, table: LakeTable): boolean {
  return hasFile(paths.table(table), '.parquet', Object.keys(PARTITIONS[table]).length);
}

/** Whether the catalog has an entry yet. */
export function catalogHasEntries(paths: LakePaths): boolean {
  return hasFile(paths.catalog, '.json', 0);
}

/** The columns a table's files have: a column declared after some files were written reads as NULL there. */
export async function presentColumns(c: DuckDBConnection, paths: LakePaths, table: LakeTable): Promise<Set<string>> {
  const reader = await c.runAndReadAll(`DESCRIBE SELECT * FROM ${parquetScan(paths, table)}`);
  return new Set(reader.getRowObjectsJS().map((r) => String(r.column_name)));
}

/** What a table's view reads: its files (with the columns they have), an in-memory copy, or nothing yet. */
export type ViewSource = { files: ReadonlySet<string> } | { mirror: LakeMirror } | 'empty';

/**
 * `CREATE OR REPLACE VIEW <name>` of a lake table. DuckDB's `read_parquet` fails on a glob that matches nothing,
 * so a table without files gets a typed empty relation, replaced once files appear. Globs are expanded per query,
 * so new files show up without recreating the view.
 */
export function tableViewSql(name: string, table: LakeTable, paths: LakePaths, source: ViewSource): string {
  const columns = Object.entries(tableColumns(table));
  let body: string;
  if (source === 'empty') body = `${emptySelect(columns)} WHERE false`;
  else if ('mirror' in source) body = source.mirror.viewSql();
  else {
    const cast = columns.map(([c, t]) => `CAST(${source.files.has(c) ? c : 'NULL'} AS ${t}) AS ${c}`);
    body = `SELECT ${cast.join(', ')} FROM ${parquetScan(paths, table)}`;
  }
  return `CREATE OR REPLACE VIEW ${name} AS ${body}`;
}

/** `CREATE OR REPLACE VIEW <name>` of the catalog: one row per source content. */
export function sourcesViewSql(name: string, paths: LakePaths, hasCatalog: boolean): string {
  const columns = duckdbColumnsOf(SOURCES);
  const body = hasCatalog
    ? `SELECT ${Object.keys(columns).join(', ')} FROM read_json(${sqlString(catalogGlob(paths))}, format = 'auto', columns = ${structLiteral(columns)})`
    : `${emptySelect(Object.entries(columns))} WHERE false`;
  return `CREATE OR REPLACE VIEW ${name} AS ${body}`;
}

/**
 * `CREATE OR REPLACE VIEW <name>` of which companies' rows each source wrote: catalog entries list the lake files
 * a source added (`telemetry/date=…/company=<url-encoded id>/…`, `mileage/company=…/…`).
 */
export function sourceCompaniesViewSql(name: string, paths: LakePaths, hasCatalog: boolean): string {
  const body = hasCatalog
    ? `SELECT DISTINCT source_id, url_decode(regexp_extract(f, '/company=([^/]+)/', 1)) AS company
        FROM (SELECT source_id, unnest(files) AS f FROM read_json(${sqlString(catalogGlob(paths))}, format = 'auto',
          columns = {source_id: 'VARCHAR', files: 'VARCHAR[]'}))
        WHERE regexp_matches(f, '^(telemetry|events|mileage)/([^/]+/)?company=[^/]+/')`
    : `SELECT NULL::VARCHAR AS source_id, NULL::VARCHAR AS company WHERE false`;
  return `CREATE OR REPLACE VIEW ${name} AS ${body}`;
}

function emptySelect(columns: readonly [string, string][]): string {
  return `SELECT ${columns.map(([c, t]) => `CAST(NULL AS ${t}) AS ${c}`).join(', ')}`;
}

function catalogGlob(paths: LakePaths): string {
  return path.join(paths.catalog, '*.json');
}

/** Depth-first search for one file with the suffix, at most `depth` folders down. */
function hasFile(dir: string, suffix: string, depth: number): boolean {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return false;
  }
  for (const e of entries) if (e.isFile() && e.name.endsWith(suffix)) return true;
  if (depth === 0) return false;
  for (const e of entries) if (e.isDirectory() && hasFile(path.join(dir, e.name), suffix, depth - 1)) return true;
  return false;
}
