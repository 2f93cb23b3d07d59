import fs from 'node:fs';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { sqlString } from '../../ingest/lake/lake-writer.js';

/** The cache file is rewritten at most this often (ms) while the lake keeps changing. */
const SAVE_EVERY_MS = 5000;

interface DirState {
  mtimeMs: number;
}

/**
 * An in-memory copy, in the API's DuckDB, of a lake dataset of many small files: the telemetry rollup and the
 * events (one or two files per source and day, a few rows each). Reading a few thousand tiny Parquet files costs
 * DuckDB a file open and a footer per file and a column chunk per column — seconds for a month of a 10M-row
 * fleet — whereas their rows fit in a few MB. The copy is kept current per partition folder: a folder whose
 * mtime changed (a commit renamed files in, a backfill replaced some, a deletion removed some) is reloaded whole
 * in one transaction, so a query sees each partition's old or new content, never a mix. `sync` runs before every
 * query (a stat per partition folder when nothing changed).
 *
 * Loading thousands of small files takes seconds, so the copy is also saved (`cacheFile`: one Parquet file, the
 * folder mtimes it reflects in its key-value metadata, written to a temp name and renamed) and the next process
 * starts from it, reloading only the folders changed since. It is derived data: deleting it costs one full load.
 */
export class LakeMirror {
  private readonly dirs = new Map<string, DirState>();
  private running: Promise<void> | null = null;
  private restored = false;
  /** Changes not yet saved to the cache file, and when it was last saved (ms). */
  private unsaved = false;
  private savedAt = 0;

  /** `columns`: the declared columns and the Hive partition keys, name → DuckDB type; `depth`: partition keys in the path. */
  constructor(
    readonly table: string,
    private readonly root: string,
    private readonly columns: Readonly<Record<string, string>>,
    private readonly depth: number,
    private readonly cacheFile: string | null = null,
  ) {}

  get tableName(): string {
    return `mirror_${this.table}`;
  }

  createSql(): string {
    const cols = Object.entries(this.columns).map(([c, t]) => `${c} ${t}`);
    return `CREATE TABLE IF NOT EXISTS ${this.tableName} (${cols.join(', ')}, _dir VARCHAR)`;
  }

  /** `SELECT` of the declared columns from the copy (the view body). */
  viewSql(): string {
    return `SELECT ${Object.keys(this.columns).join(', ')} FROM ${this.tableName}`;
  }

  /** Brings the copy up to date with the lake folders (one sync at a time: a call during one waits, then syncs). */
  async sync(c: DuckDBConnection): Promise<void> {
    while (this.running) await this.running.catch(() => undefined);
    this.running = this.syncOnce(c).finally(() => (this.running = null));
    await this.running;
  }

  /** Leaf partition folders (`date=…/company=…`) → their mtime, read now: a readdir per inner folder, a stat per leaf. */
  private scan(): Map<string, DirState> {
    const out = new Map<string, DirState>();
    const walk = (dir: string, level: number) => {
      let entries: fs.Dirent[];
      try {
        entries = fs.readdirSync(dir, { withFileTypes: true });
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
        throw e;
      }
      for (const e of entries) {
        if (!e.isDirectory() || !e.name.includes('=')) continue;
        const sub = path.join(dir, e.name);
        if (level + 1 < this.depth) walk(sub, level + 1);
        else {
          try {
            out.set(sub, { mtimeMs: fs.statSync(sub).mtimeMs });
          } catch (err) {
            if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
          }
        }
      }
    };
    walk(this.root, 0);
    return out;
  }

  private get cacheKey(): string {
    return JSON.stringify([...Object.entries(this.columns), ['_dir', 'VARCHAR']]);
  }

  /** Starts from the copy an earlier process saved, if it has today's columns; a damaged or stale-schema file is ignored. */
  private async restore(c: DuckDBConnection): Promise<void> {
    const file = this.cacheFile;
    if (!file || !fs.existsSync(file)) return;
    try {
      const kv = (await c.runAndReadAll(`SELECT decode(value) AS v FROM parquet_kv_metadata(${sqlString(file)}) WHERE decode(key) = 'avlog_mirror'`)).getRowObjectsJS()[0];
      const meta = JSON.parse(String(kv?.v ?? 'null')) as { columns: string; dirs: Record<string, number> } | null;
      if (!meta || meta.columns !== this.cacheKey) return;
      await c.run(`INSERT INTO ${this.tableName} SELECT * FROM read_parquet(${sqlString(file)})`);
      for (const [d, mtimeMs] of Object.entries(meta.dirs)) this.dirs.set(d, { mtimeMs });
      this.savedAt = Date.now();
    } catch {
      this.dirs.clear();
      await c.run(`DELETE FROM ${this.tableName}`);
    }
  }

  /** Saves the copy now if it changed since last saved (e.g. before the process ends). */
  async flush(c: DuckDBConnection): Promise<void> {
    while (this.running) await this.running.catch(() => undefined);
    this.running = this.save(c, true).finally(() => (this.running = null));
    await this.running;
  }

  /** Saves the copy for the next process (at most every few seconds; best effort: a read-only data dir just reloads). */
  private async save(c: DuckDBConnection, now = false): Promise<void> {
    const file = this.cacheFile;
    if (!file || !this.unsaved || (!now && Date.now() - this.savedAt < SAVE_EVERY_MS)) return;
    const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    try {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      const meta = JSON.stringify({ columns: this.cacheKey, dirs: Object.fromEntries([...this.dirs].map(([d, s]) => [d, s.mtimeMs])) });
      await c.run(`COPY (SELECT * FROM ${this.tableName}) TO ${sqlString(tmp)} (FORMAT parquet, COMPRESSION zstd, KV_METADATA {avlog_mirror: ${sqlString(meta)}})`);
      fs.renameSync(tmp, file);
      this.unsaved = false;
      this.savedAt = Date.now();
    } catch {
      fs.rmSync(tmp, { force: true });
    }
  }

  private async syncOnce(c: DuckDBConnection): Promise<void> {
    if (!this.restored) {
      this.restored = true;
      await this.restore(c);
    }
    await this.load(c);
    await this.save(c);
  }

  private async load(c: DuckDBConnection): Promise<void> {
    const now = this.scan();
    const stale = [...this.dirs.keys()].filter((d) => !now.has(d));
    const changed = [...now].filter(([d, s]) => {
      const old = this.dirs.get(d);
      return !old || old.mtimeMs !== s.mtimeMs;
    });
    if (!stale.length && !changed.length) return;
    const reload = [...stale, ...changed.map(([d]) => d)];
    const files = changed.flatMap(([d]) => {
      try {
        return fs.readdirSync(d).filter((f) => f.endsWith('.parquet')).map((f) => path.join(d, f));
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
        throw e;
      }
    });
    await c.run('BEGIN TRANSACTION');
    try {
      await c.run(`DELETE FROM ${this.tableName} WHERE _dir IN (${reload.map(sqlString).join(', ')})`);
      if (files.length) {
        const scan = `read_parquet([${files.map(sqlString).join(', ')}], hive_partitioning = true, union_by_name = true, filename = '_file')`;
        const have = new Set((await c.runAndReadAll(`DESCRIBE SELECT * FROM ${scan}`)).getRowObjectsJS().map((r) => String(r.column_name)));
        const select = Object.entries(this.columns).map(([col, t]) => `CAST(${have.has(col) ? col : 'NULL'} AS ${t})`);
        await c.run(`INSERT INTO ${this.tableName} SELECT ${select.join(', ')}, parse_dirpath(_file) FROM ${scan}`);
      }
      await c.run('COMMIT');
    } catch (e) {
      await c.run('ROLLBACK');
      throw new Error(`loading ${this.table} files of ${reload.length} partition folders under ${this.root}: ${(e as Error).message}`);
    }
    for (const d of stale) this.dirs.delete(d);
    for (const [d, s] of changed) this.dirs.set(d, s);
    this.unsaved = true;
  }
}
