import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { duckdbColumnsOf } from '../../ingest/schema/column.js';
import { EVENTS, QUARANTINE, SOURCES, TELEMETRY } from '../../ingest/schema/tables.js';
import type { LakePaths } from '../../ingest/lake/paths.js';
import type { LakeView } from './function-policy.js';

/**
 * The SQL of the sandbox's views over the lake. Base views live in the sandbox database's `main` schema; each
 * caller scope (company) gets a schema of views with the same names that filter the base views.
 *
 * DuckDB's `read_parquet`/`read_json` fail on a glob that matches nothing, so a table without files yet gets an
 * empty view with the same columns, replaced by the real one once files appear (`ViewFiles.probe`).
 */

/** A view of the sandbox: the four lake views plus the internal source → company map used for scoping. */
export type SandboxView = LakeView | typeof SOURCE_COMPANIES;

/** Internal view (not readable by user SQL, whose table names are allow-listed): which companies each source wrote. */
export const SOURCE_COMPANIES = '_avlog_source_companies';

const PARTITION_COLUMNS = { date: 'DATE', company: 'VARCHAR' } as const;

interface ViewShape {
  columns: Record<string, string>;
}

const SHAPES: Record<SandboxView, ViewShape> = {
  telemetry: { columns: { ...duckdbColumnsOf(TELEMETRY), ...PARTITION_COLUMNS } },
  events: { columns: { ...duckdbColumnsOf(EVENTS), ...PARTITION_COLUMNS } },
  quarantine: { columns: duckdbColumnsOf(QUARANTINE) },
  sources: { columns: duckdbColumnsOf(SOURCES) },
  [SOURCE_COMPANIES]: { columns: { source_id: 'VARCHAR', company: 'VARCHAR' } },
};

export const SANDBOX_VIEWS = Object.keys(SHAPES) as SandboxView[];

/** `CREATE OR REPLACE VIEW main.<view>` over the lake's files, or an empty view of the same shape when there are none. */
export function baseViewSql(view: SandboxView, paths: LakePaths, hasFiles: boolean): string {
  const name = `main.${ident(view)}`;
  const columns = SHAPES[view].columns;
  if (!hasFiles) {
    const nulls = Object.entries(columns).map(([c, t]) => `CAST(NULL AS ${t}) AS ${ident(c)}`);
    return `CREATE OR REPLACE VIEW ${name} AS SELECT ${nulls.join(', ')} WHERE false`;
  }
  // Cast to the declared types (a no-op for files the ingest wrote) so the view's shape never depends on a file.
  const list = Object.entries(columns)
    .map(([c, t]) => `CAST(${ident(c)} AS ${t}) AS ${ident(c)}`)
    .join(', ');
  switch (view) {
    case 'telemetry':
    case 'events':
      return `CREATE OR REPLACE VIEW ${name} AS SELECT ${list} FROM read_parquet(${sqlString(parquetGlob(paths, view))},
        hive_partitioning = true, hive_types = {'date': DATE, 'company': VARCHAR}, hive_types_autocast = false)`;
    case 'quarantine':
      return `CREATE OR REPLACE VIEW ${name} AS SELECT ${list} FROM read_parquet(${sqlString(parquetGlob(paths, view))},
        hive_partitioning = true, hive_types = {'date': DATE}, hive_types_autocast = false)`;
    case 'sources':
      return `CREATE OR REPLACE VIEW ${name} AS SELECT ${list} FROM read_json(${sqlString(catalogGlob(paths))},
        format = 'auto', columns = ${structOf(columns)})`;
    case SOURCE_COMPANIES:
      // Catalog entries list the lake files each source added (`telemetry/date=…/company=<url-encoded id>/…`).
      return `CREATE OR REPLACE VIEW ${name} AS SELECT DISTINCT source_id, url_decode(regexp_extract(f, '/company=([^/]+)/', 1)) AS company
        FROM (SELECT source_id, unnest(files) AS f FROM read_json(${sqlString(catalogGlob(paths))}, format = 'auto',
          columns = {source_id: 'VARCHAR', files: 'VARCHAR[]'}))
        WHERE regexp_matches(f, '^(telemetry|events)/[^/]+/company=[^/]+/')`;
  }
}

/** The schema that holds one company's views: a hash, so any company id makes a plain identifier. */
export function scopeSchema(company: string): string {
  return `scope_${crypto.createHash('sha256').update(company).digest('hex').slice(0, 24)}`;
}

/**
 * Views of the lake's names in the company's own schema that show one company only: its telemetry and events rows;
 * the sources that wrote any of them; the quarantined rows of sources that wrote only its rows (a mixed source's
 * rejected lines may hold another company's data). A scoped query runs with `search_path` set to this schema, so
 * its unqualified `telemetry` is this view; qualified names, which could reach `main`, never pass the statement
 * inspection. `database` is the sandbox database's name, so the filters read the base views, not themselves.
 */
export function scopedViewSql(database: string, company: string): string[] {
  const schema = `${ident(database)}.${ident(scopeSchema(company))}`;
  const base = (view: SandboxView) => `${ident(database)}.main.${ident(view)}`;
  const c = sqlString(company);
  const own = `SELECT source_id FROM ${base(SOURCE_COMPANIES)} WHERE company = ${c}`;
  const exclusive = `SELECT source_id FROM ${base(SOURCE_COMPANIES)} GROUP BY source_id HAVING bool_and(company = ${c})`;
  return [
    `CREATE SCHEMA IF NOT EXISTS ${schema}`,
    `CREATE OR REPLACE VIEW ${schema}.telemetry AS SELECT * FROM ${base('telemetry')} WHERE company = ${c} AND company_id = ${c}`,
    `CREATE OR REPLACE VIEW ${schema}.events AS SELECT * FROM ${base('events')} WHERE company = ${c} AND company_id = ${c}`,
    `CREATE OR REPLACE VIEW ${schema}.sources AS SELECT * FROM ${base('sources')} WHERE source_id IN (${own})`,
    `CREATE OR REPLACE VIEW ${schema}.quarantine AS SELECT * FROM ${base('quarantine')} WHERE source_id IN (${exclusive})`,
  ];
}

/** The `SET search_path` that makes a connection see one company's views. */
export function scopeSearchPathSql(database: string, company: string): string {
  return `SET search_path = ${sqlString(`${ident(database)}.${ident(scopeSchema(company))}`)}`;
}

/** Whether each view has files to read; `probe` looks again (cheaply: it stops at the first file found). */
export class ViewFiles {
  private readonly paths: LakePaths;

  constructor(paths: LakePaths) {
    this.paths = paths;
  }

  probe(): Record<SandboxView, boolean> {
    const catalog = hasFile(this.paths.catalog, '.json', 0);
    return {
      telemetry: hasFile(this.paths.table('telemetry'), '.parquet', 3),
      events: hasFile(this.paths.table('events'), '.parquet', 3),
      quarantine: hasFile(this.paths.table('quarantine'), '.parquet', 3),
      sources: catalog,
      [SOURCE_COMPANIES]: catalog,
    };
  }
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

function parquetGlob(paths: LakePaths, table: 'telemetry' | 'events' | 'quarantine'): string {
  return `${paths.table(table)}/**/*.parquet`;
}

function catalogGlob(paths: LakePaths): string {
  return `${paths.catalog}/*.json`;
}

function structOf(columns: Record<string, string>): string {
  return `{${Object.entries(columns)
    .map(([c, t]) => `${ident(c)}: ${sqlString(t)}`)
    .join(', ')}}`;
}

/** A SQL string literal. */
export function sqlString(s: string): string {
  return `'${s.replaceAll("'", "''")}'`;
}

/** A quoted SQL identifier. */
export function ident(s: string): string {
  return `"${s.replaceAll('"', '""')}"`;
}
