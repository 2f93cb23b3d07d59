import fs from 'node:fs';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { LakeTableName } from '../ingest/lake/paths.js';
import { hiveScan, PARTITIONS, sqlString } from '../ingest/lake/sql.js';

/**
 * A folder whose mtime is this close to (or after) the scan that read it may have changed again within the same
 * mtime tick after it was read (git's racy-clean rule): it is read again at each scan until it is older than this.
 */
const RACY_MS = 2000;
/** Files read per INSERT when loading, so the row limit is checked before a large lake is all in memory. */
const BATCH_FILES = 256;

export interface MirrorLimits {
  /** A table with more rows than this is not mirrored: its view reads the Parquet files (a few hundred bytes a row). */
  maxRows: number;
  /** The partition folders are scanned at most this often, ms; `invalidate()` (after an ingest) forces the next query to. */
  scanEveryMs: number;
}

export const MIRROR_DEFAULTS: MirrorLimits = { maxRows: 2_000_000, scanEveryMs: 1000 };

interface DirState {
  mtimeMs: number;
  /** Read within `RACY_MS` of its mtime: not proven clean, read again at the next scan. */
  racy: boolean;
}

/**
 * An in-memory copy, in the API's DuckDB, of a lake dataset of many small files: the telemetry rollup and the
 * events (one or two files per source and day, a few rows each). Reading a few thousand tiny Parquet files costs
 * DuckDB a file open and a footer per file and a column chunk per column — seconds for a month of a 10M-row
 * fleet — whereas their rows fit in a few MB. The copy is kept current per partition folder: a folder whose
 * mtime changed (a commit renamed files in, a backfill replaced some, a deletion removed some), or whose mtime was
 * too recent when read to rule out a later change in the same tick, is reloaded whole in one transaction, so a
 * query sees each partition's old or new content, never a mix. `sync` runs before each query but scans the
 * folders (a stat each) at most every `scanEveryMs`, or at once after `invalidate()`.
 *
 * Memory is bounded: once the table has more than `maxRows` rows the copy is dropped for good (`active` turns
 * false) and the caller reads the files again.
 *
 * Loading thousands of small files takes seconds, so the copy is also saved (`save`, off the query path:
 * `cacheFile`, one Parquet file with the folder mtimes it reflects in its key-value metadata, written to a temp
 * name and renamed) and the next process starts from it, reloading only the folders changed since. It is derived
 * data: deleting it costs one full load.
 */
export class LakeMirror {
  private readonly dirs = new Map<string, DirState>();
  private running: Promise<void> | null = null;
  private saving: Promise<void> | null = null;
  private restored = false;
  private outgrown = false;
  /** When the last scan started (ms); -Infinity: scan at the next sync. */
  private scannedAt = -Infinity;
  /** Loads so far, and the load count the cache file reflects. */
  private version = 0;
  private savedVersion = 0;

  /** `columns`: the declared columns and the Hive partition keys, name → DuckDB type. */
  constructor(
    readonly table: LakeTableName,
    private readonly root: string,
    private readonly columns: Readonly<Record<string, string>>,
    private readonly cacheFile: string | null = null,
    private readonly limits: MirrorLimits = MIRROR_DEFAULTS,
  ) {}

  get tableName(): string {
    return `mirror_${this.table}`;
  }

  /** False once the table outgrew `maxRows` (its copy is gone; read the files). */
  get active(): boolean {
    return !this.outgrown;
  }

  createSql(): string {
    const cols = Object.entries(this.columns).map(([c, t]) => `${c} ${t}`);
    return `CREATE TABLE IF NOT EXISTS ${this.tableName} (${cols.join(', ')}, _dir VARCHAR)`;
  }

  dropSql(): string {
    return `DROP TABLE IF EXISTS ${this.tableName}`;
  }

  /** `SELECT` of the declared columns from the copy (the view body). */
  viewSql(): string {
    return `SELECT ${Object.keys(this.columns).join(', ')} FROM ${this.tableName}`;
  }

  /** The next `sync` scans the folders whatever the time since the last scan (this process changed the lake). */
  invalidate(): void {
    this.scannedAt = -Infinity;
  }

  /** Brings the copy up to date with the lake folders if a scan is due (one sync at a time: a call during one waits for it). */
  async sync(c: DuckDBConnection): Promise<void> {
    while (this.running) await this.running.catch(() => undefined);
    if (this.outgrown || Date.now() - this.scannedAt < this.limits.scanEveryMs) return;
    this.running = this.syncOnce(c).finally(() => (this.running = null));
    await this.running;
  }

  private async syncOnce(c: DuckDBConnection): Promise<void> {
    const start = Date.now();
    this.scannedAt = start;
    if (!this.restored) {
      this.restored = true;
      await this.restore(c);
    }
    try {
      if (!this.outgrown) await this.load(c, start);
    } catch (e) {
      this.invalidate(); // the next query tries again rather than reading the old copy for scanEveryMs
      throw e;
    }
  }

  /** Leaf partition folders (`date=…/company=…`) → their state, read now: a readdir per inner folder, a stat per leaf. */
  private scan(start: number): Map<string, DirState> {
    const out = new Map<string, DirState>();
    const depth = Object.keys(PARTITIONS[this.table]).length;
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
        if (level + 1 < depth) walk(sub, level + 1);
        else {
          try {
            const { mtimeMs } = fs.statSync(sub);
            out.set(sub, { mtimeMs, racy: mtimeMs > start - RACY_MS });
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

  private async rowCount(c: DuckDBConnection, from: string): Promise<number> {
    return Number((await c.runAndReadAll(`SELECT count(*) AS n FROM ${from}`)).getRowObjectsJS()[0]?.n ?? 0);
  }

  /** Starts from the copy an earlier process saved, if it has today's columns; a damaged or stale-schema file is ignored. */
  private async restore(c: DuckDBConnection): Promise<void> {
    const file = this.cacheFile;
    if (!file || !fs.existsSync(file)) return;
    try {
      const kv = (
        await c.runAndReadAll(
          `SELECT decode(value) AS v FROM parquet_kv_metadata(${sqlString(file)}) WHERE decode(key) = 'avlog_mirror'`,
        )
      ).getRowObjectsJS()[0];
      const meta = JSON.parse(String(kv?.v ?? 'null')) as { columns: string; dirs: Record<string, number> } | null;
      if (!meta || meta.columns !== this.cacheKey) return;
      if ((await this.rowCount(c, `read_parquet(${sqlString(file)})`)) > this.limits.maxRows) {
        this.outgrown = true;
        return;
      }
      await c.run(`INSERT INTO ${this.tableName} SELECT * FROM read_parquet(${sqlString(file)})`);
      // -1: saved as not proven clean. A folder with rows but not in the metadata (saved mid-load) is reloaded too.
      for (const [d, mtimeMs] of Object.entries(meta.dirs)) this.dirs.set(d, { mtimeMs, racy: mtimeMs < 0 });
      for (const r of (await c.runAndReadAll(`SELECT DISTINCT _dir FROM ${this.tableName}`)).getRowObjectsJS()) {
        const d = String(r._dir);
        if (!this.dirs.has(d)) this.dirs.set(d, { mtimeMs: -1, racy: true });
      }
    } catch {
      this.dirs.clear();
      await c.run(`DELETE FROM ${this.tableName}`);
    }
  }

  /**
   * Saves the copy for the next process if it changed since last saved (best effort: a read-only data dir just
   * reloads). Runs beside queries and loads: the folder states are taken before the rows, so the rows are as new
   * or newer, and a folder whose rows are newer than its recorded state is merely reloaded by the next process.
   */
  async save(c: DuckDBConnection): Promise<void> {
    while (this.saving) await this.saving.catch(() => undefined);
    const file = this.cacheFile;
    if (!file || this.outgrown || this.version === this.savedVersion) return;
    this.saving = this.saveOnce(c, file).finally(() => (this.saving = null));
    await this.saving;
  }

  private async saveOnce(c: DuckDBConnection, file: string): Promise<void> {
    const version = this.version;
    const dirs = Object.fromEntries([...this.dirs].map(([d, s]) => [d, s.racy ? -1 : s.mtimeMs]));
    const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    try {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      const meta = JSON.stringify({ columns: this.cacheKey, dirs });
      await c.run(
        `COPY (SELECT * FROM ${this.tableName}) TO ${sqlString(tmp)} (FORMAT parquet, COMPRESSION zstd, KV_METADATA {avlog_mirror: ${sqlString(meta)}})`,
      );
      fs.renameSync(tmp, file);
      this.savedVersion = version;
    } catch {
      fs.rmSync(tmp, { force: true });
    }
  }

  private async load(c: DuckDBConnection, start: number): Promise<void> {
    const now = this.scan(start);
    const stale = [...this.dirs.keys()].filter((d) => !now.has(d));
    const changed = [...now].filter(([d, s]) => {
      const old = this.dirs.get(d);
      return !old || old.racy || old.mtimeMs !== s.mtimeMs;
    });
    if (!stale.length && !changed.length) return;
    const reload = [...stale, ...changed.map(([d]) => d)];
    const files = changed.flatMap(([d]) => {
      try {
        return fs
          .readdirSync(d)
          .filter((f) => f.endsWith('.parquet'))
          .map((f) => path.join(d, f));
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
        throw e;
      }
    });
    await c.run('BEGIN TRANSACTION');
    let open = true;
    try {
      await c.run(`DELETE FROM ${this.tableName} WHERE _dir IN (${reload.map(sqlString).join(', ')})`);
      for (let i = 0; i < files.length; i += BATCH_FILES) {
        const batch = files.slice(i, i + BATCH_FILES);
        const scan = hiveScan(batch, this.table, ['union_by_name = true', "filename = '_file'"]);
        const have = new Set(
          (await c.runAndReadAll(`DESCRIBE SELECT * FROM ${scan}`)).getRowObjectsJS().map((r) => String(r.column_name)),
        );
        const select = Object.entries(this.columns).map(([col, t]) => `CAST(${have.has(col) ? col : 'NULL'} AS ${t})`);
        await c.run(`INSERT INTO ${this.tableName} SELECT ${select.join(', ')}, parse_dirpath(_file) FROM ${scan}`);
        if ((await this.rowCount(c, this.tableName)) > this.limits.maxRows) {
          open = false;
          await c.run('ROLLBACK');
          this.outgrown = true;
          this.dirs.clear();
          return;
        }
      }
      await c.run('COMMIT');
      open = false;
    } catch (e) {
      if (open) await c.run('ROLLBACK').catch(() => undefined);
      throw new Error(
        `loading ${this.table} files of ${reload.length} partition folders under ${this.root}: ${(e as Error).message}`,
      );
    }
    for (const d of stale) this.dirs.delete(d);
    for (const [d, s] of changed) this.dirs.set(d, s);
    this.version++;
  }
}
