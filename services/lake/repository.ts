import type { DuckDBDataChunk, DuckDBValue } from '@duckdb/node-api';
import { companyScopedViews, SCOPED_VIEWS } from './company-scope.js';
import type { LakeDb, Row } from './lake-db.js';
import type { Scope } from './scope.js';

/** Where a streamed result goes: its column types first (to check before reading), then each chunk in order. */
export interface ChunkSink {
  start(columnTypes: readonly string[]): void;
  chunk(chunk: DuckDBDataChunk): void;
}

/**
 * The one door to the lake. Route SQL is written against `telemetry`, `events`, `rollup`, `mileage`, `quarantine`
 * and `sources`; the repository prefixes CTEs of the same names that restrict them to the caller's company
 * (`company-scope.ts`, the rule the SQL sandbox applies too), so access control is enforced here and nowhere else. Results come back as row objects (`query`) or, for large columnar results,
 * as DuckDB chunks streamed one at a time (`streamChunks`); both run the same scoped statement.
 */
export class LakeRepository {
  readonly db: LakeDb;

  constructor(db: LakeDb) {
    this.db = db;
  }

  async query(scope: Scope, sql: string, params: Record<string, DuckDBValue> = {}): Promise<Row[]> {
    const s = scopedStatement(scope, sql, params);
    return this.db.all(s.sql, s.params);
  }

  /**
   * Runs the scoped statement and hands its result to `sink` chunk by chunk (about 2048 rows each), holding one
   * chunk at a time: memory stays bounded by what the sink keeps. Resolves to the number of rows streamed.
   */
  async streamChunks(scope: Scope, sql: string, params: Record<string, DuckDBValue>, sink: ChunkSink): Promise<number> {
    const s = scopedStatement(scope, sql, params);
    return this.db.withConnection(async (c) => {
      const result = await c.stream(s.sql, s.params);
      sink.start(result.columnTypes().map((t) => t.toString()));
      let rows = 0;
      for (;;) {
        const chunk = await result.fetchChunk();
        if (!chunk || chunk.rowCount === 0) return rows;
        sink.chunk(chunk);
        rows += chunk.rowCount;
      }
    });
  }
}

/** `sql` restricted to the scope's company: CTEs named like the lake views shadow them (none for an unscoped caller). */
function scopedStatement(
  scope: Scope,
  sql: string,
  params: Record<string, DuckDBValue>,
): { sql: string; params: Record<string, DuckDBValue> } {
  if (scope.company === undefined) return { sql, params };
  const views = companyScopedViews('$__scope_company', (view) => `main.${view}`);
  const ctes = SCOPED_VIEWS.map((view) => `${view} AS (${views[view]})`).join(',\n      ');
  return { sql: `WITH ${ctes}\n      ${stripLeadingWith(sql)}`, params: { ...params, __scope_company: scope.company } };
}

/** A route query that starts with its own WITH joins the scope's CTE list. */
function stripLeadingWith(sql: string): string {
  const m = /^\s*WITH\s+(?!RECURSIVE)/iu.exec(sql);
  return m ? `, ${sql.slice(m[0].length)}` : sql;
}
