import { DuckDBInstance, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';
import path from 'node:path';
import { lakePaths, type LakePaths } from '../ingest/lake/paths.js';
import { LakeMirror, MIRROR_DEFAULTS, type MirrorLimits } from './mirror.js';
import {
  catalogHasEntries,
  LAKE_TABLES,
  presentColumns,
  SOURCE_COMPANIES,
  sourceCompaniesViewSql,
  sourcesViewSql,
  tableColumns,
  tableHasFiles,
  tableViewSql,
  type LakeTable,
} from './views.js';

export type Row = Record<string, unknown>;

/** DuckDB values → plain JSON-able JS: BIGINT → number, DATE/TIMESTAMP → ISO strings. */
function plain(v: unknown): unknown {
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof Date) return v.toISOString();
  if (Array.isArray(v)) return v.map(plain);
  return v;
}

/** The cache files of the mirrors are rewritten at most this often (ms) while the lake keeps changing. */
const SAVE_EVERY_MS = 5000;

export interface LakeDbOptions {
  connections?: number;
  memoryLimit?: string;
  threads?: number;
  /** Bounds of the in-memory copies of the many-small-file tables (`mirror.ts`; defaults `MIRROR_DEFAULTS`). */
  mirror?: Partial<MirrorLimits>;
}

/**
 * The API's DuckDB: an in-memory instance whose views read the lake's Parquet and the catalog. A small pool
 * of connections serves concurrent requests. Views are rebuilt after an ingest adds a table's first files, and when
 * a mirrored table outgrows its mirror. The mirrors are saved by a timer and on `close()`, not by queries.
 */
export class LakeDb {
  readonly paths: LakePaths;
  private readonly instance: DuckDBInstance;
  private readonly idle: DuckDBConnection[] = [];
  private readonly waiting: ((c: DuckDBConnection) => void)[] = [];
  private closed = false;
  /** In-memory copies of the many-small-file tables, synced before each query; a table that outgrew its copy leaves. */
  private readonly mirrors: Map<LakeTable, LakeMirror>;
  private readonly saveTimer: NodeJS.Timeout;

  private constructor(paths: LakePaths, instance: DuckDBInstance, limits: MirrorLimits) {
    this.paths = paths;
    this.instance = instance;
    this.mirrors = lakeMirrors(paths, limits);
    this.saveTimer = setInterval(() => void this.saveMirrors().catch(() => undefined), SAVE_EVERY_MS);
    this.saveTimer.unref();
  }

  static async open(dataDir: string, options: LakeDbOptions = {}): Promise<LakeDb> {
    const instance = await DuckDBInstance.create(':memory:', {
      memory_limit: options.memoryLimit ?? '2GB',
      threads: String(options.threads ?? 2),
      autoinstall_known_extensions: 'false',
      autoload_known_extensions: 'false',
    });
    const db = new LakeDb(lakePaths(dataDir), instance, { ...MIRROR_DEFAULTS, ...options.mirror });
    for (let i = 0; i < (options.connections ?? 4); i++) {
      const c = await instance.connect();
      await c.run("SET TimeZone = 'UTC'");
      db.idle.push(c);
    }
    for (const m of db.mirrors.values()) await (db.idle[0] as DuckDBConnection).run(m.createSql());
    await db.refresh();
    return db;
  }

  /** Recreates the lake views (cheap) and has the next query rescan the mirrored folders: after an ingest by this process. */
  async refresh(): Promise<void> {
    for (const m of this.mirrors.values()) m.invalidate();
    await this.withConnection((c) => this.createViews(c));
  }

  private async createViews(c: DuckDBConnection): Promise<void> {
    for (const table of LAKE_TABLES) {
      const mirror = this.mirrors.get(table);
      const source = mirror
        ? { mirror }
        : tableHasFiles(this.paths, table)
          ? { files: await presentColumns(c, this.paths, table) }
          : 'empty';
      await c.run(tableViewSql(`main.${table}`, table, this.paths, source));
    }
    const hasCatalog = catalogHasEntries(this.paths);
    await c.run(sourcesViewSql('main.sources', this.paths, hasCatalog));
    await c.run(sourceCompaniesViewSql(`main.${SOURCE_COMPANIES}`, this.paths, hasCatalog));
  }

  private async acquire(): Promise<DuckDBConnection> {
    return this.idle.pop() ?? (await new Promise<DuckDBConnection>((resolve) => this.waiting.push(resolve)));
  }

  private release(c: DuckDBConnection): void {
    const next = this.waiting.shift();
    if (next) next(c);
    else this.idle.push(c);
  }

  /** Syncs the mirrors; a table that outgrew its mirror is read from its files from now on (view first, then the copy dropped). */
  private async syncMirrors(c: DuckDBConnection): Promise<void> {
    for (const m of this.mirrors.values()) await m.sync(c);
    const outgrown = [...this.mirrors].filter(([, m]) => !m.active);
    if (!outgrown.length) return;
    for (const [t] of outgrown) this.mirrors.delete(t);
    await this.createViews(c);
    for (const [, m] of outgrown) await c.run(m.dropSql());
  }

  async withConnection<T>(fn: (c: DuckDBConnection) => Promise<T>): Promise<T> {
    if (this.closed) throw new Error('lake database is closed');
    const c = await this.acquire();
    try {
      await this.syncMirrors(c);
      return await fn(c);
    } finally {
      this.release(c);
    }
  }

  /** Runs a parameterised query ($name placeholders) and returns rows of plain JS values. */
  async all(sql: string, params: Record<string, DuckDBValue> = {}): Promise<Row[]> {
    return this.withConnection(async (c) => {
      const reader = await c.runAndReadAll(sql, params);
      const rows = reader.getRowObjectsJS() as Row[];
      // In place: results can be tens of thousands of rows, and most values are already plain.
      for (const r of rows)
        for (const k in r) if (typeof r[k] === 'object' || typeof r[k] === 'bigint') r[k] = plain(r[k]);
      return rows;
    });
  }

  /** Saves the changed in-memory copies for the next process (a timer does it every few seconds, and `close()`). */
  async saveMirrors(): Promise<void> {
    if (this.closed) return;
    await this.save();
  }

  private async save(): Promise<void> {
    const c = await this.acquire();
    try {
      for (const m of this.mirrors.values()) await m.save(c);
    } finally {
      this.release(c);
    }
  }

  /** Saves the changed mirrors (once the running queries are done), then closes the database. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.saveTimer);
    await this.save().catch(() => undefined);
    for (const c of this.idle) c.closeSync();
    this.instance.closeSync();
  }
}

/** Tables of many small files, read from an in-memory copy (`mirror.ts`) rather than from their Parquet per query. */
const MIRRORED_TABLES = ['events', 'rollup'] as const satisfies readonly LakeTable[];

function lakeMirrors(paths: LakePaths, limits: MirrorLimits): Map<LakeTable, LakeMirror> {
  return new Map(
    MIRRORED_TABLES.map((t) => [
      t,
      new LakeMirror(t, paths.table(t), tableColumns(t), path.join(paths.cache, `mirror-${t}.parquet`), limits),
    ]),
  );
}
