import { DuckDBInstance, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';
import { lakePaths, type LakePaths } from '../../ingest/lake/paths.js';
import type { LakeMirror } from './mirror.js';
import { LAKE_TABLES, lakeMirrors, lakeViewStatements, parquetScan, tableHasFiles, type LakeTable } from './views.js';

export type Row = Record<string, unknown>;

/** DuckDB values → plain JSON-able JS: BIGINT → number, DATE/TIMESTAMP → ISO strings. */
function plain(v: unknown): unknown {
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof Date) return v.toISOString();
  if (Array.isArray(v)) return v.map(plain);
  return v;
}

/**
 * The API's DuckDB: an in-memory instance whose views read the lake's Parquet and the catalog. A small pool
 * of connections serves concurrent requests. Views are rebuilt after an ingest adds a table's first files.
 */
export class LakeDb {
  readonly paths: LakePaths;
  private readonly instance: DuckDBInstance;
  private readonly idle: DuckDBConnection[] = [];
  private readonly waiting: ((c: DuckDBConnection) => void)[] = [];
  private closed = false;
  /** In-memory copies of the many-small-file tables, synced before each query. */
  private readonly mirrors: Map<LakeTable, LakeMirror>;

  private constructor(paths: LakePaths, instance: DuckDBInstance) {
    this.paths = paths;
    this.instance = instance;
    this.mirrors = lakeMirrors(paths);
  }

  static async open(dataDir: string, options: { connections?: number; memoryLimit?: string; threads?: number } = {}): Promise<LakeDb> {
    const instance = await DuckDBInstance.create(':memory:', {
      memory_limit: options.memoryLimit ?? '2GB',
      threads: String(options.threads ?? 2),
      autoinstall_known_extensions: 'false',
      autoload_known_extensions: 'false',
    });
    const db = new LakeDb(lakePaths(dataDir), instance);
    for (let i = 0; i < (options.connections ?? 4); i++) {
      const c = await instance.connect();
      await c.run("SET TimeZone = 'UTC'");
      db.idle.push(c);
    }
    for (const m of db.mirrors.values()) await (db.idle[0] as DuckDBConnection).run(m.createSql());
    await db.refresh();
    return db;
  }

  /** Recreates the lake views (cheap): after an ingest, so a table's first files become visible. */
  async refresh(): Promise<void> {
    await this.withConnection(async (c) => {
      const present = new Map<LakeTable, Set<string>>();
      for (const table of LAKE_TABLES) {
        if (this.mirrors.has(table) || !tableHasFiles(this.paths, table)) continue;
        const reader = await c.runAndReadAll(`DESCRIBE SELECT * FROM ${parquetScan(this.paths, table)}`);
        present.set(table, new Set(reader.getRowObjectsJS().map((r) => String(r.column_name))));
      }
      for (const sql of lakeViewStatements(this.paths, (t) => present.get(t) ?? null, 'main', this.mirrors)) await c.run(sql);
    });
  }

  async withConnection<T>(fn: (c: DuckDBConnection) => Promise<T>): Promise<T> {
    if (this.closed) throw new Error('lake database is closed');
    const c = this.idle.pop() ?? (await new Promise<DuckDBConnection>((resolve) => this.waiting.push(resolve)));
    try {
      for (const m of this.mirrors.values()) await m.sync(c);
      return await fn(c);
    } finally {
      const next = this.waiting.shift();
      if (next) next(c);
      else this.idle.push(c);
    }
  }

  /** Runs a parameterised query ($name placeholders) and returns rows of plain JS values. */
  async all(sql: string, params: Record<string, DuckDBValue> = {}): Promise<Row[]> {
    return this.withConnection(async (c) => {
      const reader = await c.runAndReadAll(sql, params);
      const rows = reader.getRowObjectsJS() as Row[];
      // In place: results can be tens of thousands of rows, and most values are already plain.
      for (const r of rows) for (const k in r) if (typeof r[k] === 'object' || typeof r[k] === 'bigint') r[k] = plain(r[k]);
      return rows;
    });
  }

  /** Saves the in-memory copies of the many-small-file tables for the next process (they are saved every few seconds anyway). */
  async saveMirrors(): Promise<void> {
    await this.withConnection(async (c) => {
      for (const m of this.mirrors.values()) await m.flush(c);
    });
  }

  close(): void {
    this.closed = true;
    for (const c of this.idle) c.closeSync();
    this.instance.closeSync();
  }
}
