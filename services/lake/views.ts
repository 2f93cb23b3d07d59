import fs from 'node:fs';
import path from 'node:path';
import { duckdbColumnsOf } from '../ingest/schema/column.js';
import { EVENTS, MILEAGE, QUARANTINE, SOURCES, TELEMETRY } from '../ingest/schema/tables.js';
import { sqlString } from '../ingest/lake/lake-writer.js';
import type { LakePaths } from '../ingest/lake/paths.js';
import { ROLLUP } from '../ingest/lake/rollup.js';
import { LakeMirror, MIRROR_DEFAULTS, type MirrorLimits } from './mirror.js';

/** The partition keys a Hive read adds to each table. */
const PARTITIONS: Record<LakeTable, Record<string, string>> = {
  telemetry: { date: 'DATE', company: 'VARCHAR' },
  events: { date: 'DATE', company: 'VARCHAR' },
  mileage: { company: 'VARCHAR' },
  quarantine: { date: 'DATE' },
  rollup: { date: 'DATE', company: 'VARCHAR' },
};

const DECLS = {
  telemetry: TELEMETRY,
  events: EVENTS,
  mileage: MILEAGE,
  quarantine: QUARANTINE,
  rollup: ROLLUP,
} as const;

function hasParquet(dir: string): boolean {
  if (!fs.existsSync(dir)) return false;
  return (fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }) as string[]).some((f) => f.endsWith('.parquet'));
}

/**
 * `CREATE OR REPLACE VIEW` statements for the lake tables: a Hive read of the table's files with the declared
 * columns in declared order (casts make old files with fewer columns line up), or a typed empty relation while
 * a table has no files yet. Globs are expanded per query, so new files show up without recreating views.
 * `rollup` is the telemetry rollup written with each source (`ingest/lake/rollup.ts`), internal to the metrics
 * and reports (the SQL sandbox does not offer it).
 */
export const LAKE_TABLES = ['telemetry', 'events', 'mileage', 'quarantine', 'rollup'] as const;
export type LakeTable = (typeof LAKE_TABLES)[number];

/** The Hive read of one lake table's files. */
export function parquetScan(paths: LakePaths, table: LakeTable): string {
  // No union_by_name: it makes DuckDB open every file's footer at bind time, per query (seconds with thousands of
  // partitions). All files of a table are written with the same declared columns.
  // Partition values keep their text (a company "0755" stays "0755"), as the ingest and the SQL sandbox read them.
  const hiveTypes = Object.entries(PARTITIONS[table]).map(([k, t]) => `${sqlString(k)}: ${t}`);
  return `read_parquet(${sqlString(path.join(paths.table(table), '**', '*.parquet'))}, hive_partitioning = true, hive_types = {${hiveTypes.join(', ')}}, hive_types_autocast = false)`;
}

/** Tables of many small files, read from an in-memory copy (`mirror.ts`) rather than from their Parquet per query. */
export const MIRRORED_TABLES = ['events', 'rollup'] as const satisfies readonly LakeTable[];

export function lakeMirrors(paths: LakePaths, limits: MirrorLimits = MIRROR_DEFAULTS): Map<LakeTable, LakeMirror> {
  return new Map(
    MIRRORED_TABLES.map((t) => [
      t,
      new LakeMirror(
        t,
        paths.table(t),
        { ...duckdbColumnsOf(DECLS[t]), ...PARTITIONS[t] },
        PARTITIONS[t],
        path.join(paths.cache, `mirror-${t}.parquet`),
        limits,
      ),
    ]),
  );
}

export function tableHasFiles(paths: LakePaths, table: LakeTable): boolean {
  return hasParquet(paths.table(table));
}

/**
 * `present(table)` lists the columns the table's files actually have: a column added to the schema after some
 * files were written reads as NULL there instead of failing the view.
 */
export function lakeViewStatements(
  paths: LakePaths,
  present: (table: LakeTable) => ReadonlySet<string> | null,
  schema = 'main',
  mirrors?: ReadonlyMap<LakeTable, LakeMirror>,
): string[] {
  const out: string[] = [];
  for (const table of LAKE_TABLES) {
    const columns = { ...duckdbColumnsOf(DECLS[table]), ...PARTITIONS[table] };
    const have = present(table);
    const mirror = mirrors?.get(table);
    let body: string;
    if (mirror) {
      body = mirror.viewSql();
    } else if (have) {
      body = `SELECT ${Object.entries(columns)
        .map(([c, t]) => `CAST(${have.has(c) ? c : 'NULL'} AS ${t}) AS ${c}`)
        .join(', ')} FROM ${parquetScan(paths, table)}`;
    } else {
      body = `SELECT ${Object.entries(columns)
        .map(([c, t]) => `CAST(NULL AS ${t}) AS ${c}`)
        .join(', ')} WHERE false`;
    }
    out.push(`CREATE OR REPLACE VIEW ${schema}.${table} AS ${body}`);
  }
  const sourceCols = duckdbColumnsOf(SOURCES);
  const catalogGlob = path.join(paths.catalog, '*.json');
  const hasCatalog = fs.existsSync(paths.catalog) && fs.readdirSync(paths.catalog).some((f) => f.endsWith('.json'));
  const sourcesBody = hasCatalog
    ? `SELECT ${Object.keys(sourceCols).join(', ')} FROM read_json(${sqlString(catalogGlob)}, format = 'auto', columns = {${Object.entries(
        sourceCols,
      )
        .map(([c, t]) => `${sqlString(c)}: ${sqlString(t)}`)
        .join(', ')}})`
    : `SELECT ${Object.entries(sourceCols)
        .map(([c, t]) => `CAST(NULL AS ${t}) AS ${c}`)
        .join(', ')} WHERE false`;
  out.push(`CREATE OR REPLACE VIEW ${schema}.sources AS ${sourcesBody}`);
  return out;
}
