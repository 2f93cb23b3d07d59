import crypto from 'node:crypto';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { LakePaths } from '../../ingest/lake/paths.js';
import { ident, sqlString } from '../../ingest/lake/sql.js';
import { companyScopedViews } from '../company-scope.js';
import {
  catalogHasEntries,
  presentColumns,
  SOURCE_COMPANIES,
  sourceCompaniesViewSql,
  sourcesViewSql,
  tableHasFiles,
  tableViewSql,
} from '../views.js';
import { LAKE_VIEWS, type LakeView } from './function-policy.js';

/**
 * The sandbox's views over the lake: the lake's own (`../views.ts`) in the sandbox database's `main` schema, and
 * per caller scope (company) a schema of views with the same names that apply the company rule
 * (`../company-scope.ts`) to them.
 */

/** A view of the sandbox: the four lake views plus the internal source → company map used for scoping. */
export type SandboxView = LakeView | typeof SOURCE_COMPANIES;

export const SANDBOX_VIEWS: readonly SandboxView[] = [...LAKE_VIEWS, SOURCE_COMPANIES];

/**
 * `CREATE OR REPLACE VIEW main.<view>` over the lake's files, or an empty view of the same shape when there are none
 * (`hasFiles`). Reading which columns the files have runs on `c`, inside the allowed directories.
 */
export async function baseViewSql(
  c: DuckDBConnection,
  view: SandboxView,
  paths: LakePaths,
  hasFiles: boolean,
): Promise<string> {
  const name = `main.${ident(view)}`;
  switch (view) {
    case 'sources':
      return sourcesViewSql(name, paths, hasFiles);
    case SOURCE_COMPANIES:
      return sourceCompaniesViewSql(name, paths, hasFiles);
    default:
      return tableViewSql(name, view, paths, hasFiles ? { files: await presentColumns(c, paths, view) } : 'empty');
  }
}

/** The schema that holds one company's views: a hash, so any company id makes a plain identifier. */
export function scopeSchema(company: string): string {
  return `scope_${crypto.createHash('sha256').update(company).digest('hex').slice(0, 24)}`;
}

/**
 * Views of the lake's names in the company's own schema. A scoped query runs with `search_path` set to this schema,
 * so its unqualified `telemetry` is this view; qualified names, which could reach `main`, never pass the statement
 * inspection. `database` is the sandbox database's name, so the filters read the base views, not themselves.
 */
export function scopedViewSql(database: string, company: string): string[] {
  const schema = `${ident(database)}.${ident(scopeSchema(company))}`;
  const views = companyScopedViews(sqlString(company), (view) => `${ident(database)}.main.${ident(view)}`);
  return [
    `CREATE SCHEMA IF NOT EXISTS ${schema}`,
    ...LAKE_VIEWS.map((view) => `CREATE OR REPLACE VIEW ${schema}.${view} AS ${views[view]}`),
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
    const catalog = catalogHasEntries(this.paths);
    return {
      telemetry: tableHasFiles(this.paths, 'telemetry'),
      events: tableHasFiles(this.paths, 'events'),
      quarantine: tableHasFiles(this.paths, 'quarantine'),
      sources: catalog,
      [SOURCE_COMPANIES]: catalog,
    };
  }
}
