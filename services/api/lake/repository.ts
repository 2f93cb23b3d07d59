import type { DuckDBValue } from '@duckdb/node-api';
import type { LakeDb, Row } from './lake-db.js';
import type { Scope } from './scope.js';

/**
 * The one door to the lake. Route SQL is written against `telemetry`, `events`, `mileage`, `quarantine` and `sources`;
 * the repository prefixes CTEs of the same names that restrict them to the caller's company, so access control
 * is enforced here and nowhere else.
 */
export class LakeRepository {
  readonly db: LakeDb;

  constructor(db: LakeDb) {
    this.db = db;
  }

  async query(scope: Scope, sql: string, params: Record<string, DuckDBValue> = {}): Promise<Row[]> {
    if (scope.company === undefined) return this.db.all(sql, params);
    const scoped = `WITH telemetry AS (SELECT * FROM main.telemetry WHERE company_id = $__scope_company),
      events AS (SELECT * FROM main.events WHERE company_id = $__scope_company),
      mileage AS (SELECT * FROM main.mileage WHERE company_id = $__scope_company),
      quarantine AS (SELECT q.* FROM main.quarantine q WHERE q.source_id IN (SELECT DISTINCT source_id FROM main.telemetry WHERE company_id = $__scope_company UNION SELECT DISTINCT source_id FROM main.events WHERE company_id = $__scope_company)),
      sources AS (SELECT s.* FROM main.sources s WHERE s.source_id IN (SELECT DISTINCT source_id FROM main.telemetry WHERE company_id = $__scope_company UNION SELECT DISTINCT source_id FROM main.events WHERE company_id = $__scope_company))
      ${stripLeadingWith(sql)}`;
    return this.db.all(scoped, { ...params, __scope_company: scope.company });
  }
}

/** A route query that starts with its own WITH joins the scope's CTE list. */
function stripLeadingWith(sql: string): string {
  const m = /^\s*WITH\s+(?!RECURSIVE)/iu.exec(sql);
  return m ? `, ${sql.slice(m[0].length)}` : sql;
}
