import fs from 'node:fs';
import { DuckDBInstance, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';
import { lockHolderOf, StateBusyError, StateError } from './errors.js';
import { migrate } from './migrate.js';
import { MIGRATIONS, type Migration } from './migrations.js';
import { statePaths } from './paths.js';

export type StateRow = Record<string, unknown>;
export type StateParams = Record<string, DuckDBValue>;

/** Statements of one exclusive turn on the state database (a transaction, or a read and a write that belong together). */
export interface StateSession {
  all(sql: string, params?: StateParams): Promise<StateRow[]>;
  run(sql: string, params?: StateParams): Promise<void>;
}

export interface StateDbOptions {
  /** The schema to bring the file to; default every migration avlog knows (`MIGRATIONS`). */
  migrations?: readonly Migration[];
}

/** Files this process has open: DuckDB would let one process open a file twice, and two owners would corrupt it. */
const OPEN = new Set<string>();

/** DuckDB values → plain JS: BIGINT → number (ids and counts stay far below 2^53), timestamps → Date. */
function plain(row: StateRow): StateRow {
  for (const k in row) if (typeof row[k] === 'bigint') row[k] = Number(row[k]);
  return row;
}

/**
 * avlog's own records — access tokens, the audit log, incident triage — in an embedded DuckDB file under the data
 * directory (`<data>/state/avlog.duckdb`, folder mode 0700), brought to the current schema by `migrations.ts` on
 * open. One process owns it at a time (DuckDB's file lock): a second process gets a `StateBusyError` naming the
 * holder's pid, and the CLI then asks the server that holds it. Within the process, statements take turns on one
 * connection (`session`), so a transaction never interleaves with another caller's statements.
 */
export class StateDb {
  readonly file: string;
  private readonly instance: DuckDBInstance;
  private readonly connection: DuckDBConnection;
  /** The schema this process reads and writes. */
  readonly migrations: readonly Migration[];
  private turn: Promise<unknown> = Promise.resolve();
  private closed = false;
  /** Set when close() has queued its last statement: later sessions are refused. */
  private closing = false;

  private constructor(
    file: string,
    instance: DuckDBInstance,
    connection: DuckDBConnection,
    migrations: readonly Migration[],
  ) {
    this.file = file;
    this.instance = instance;
    this.connection = connection;
    this.migrations = migrations;
  }

  static async open(dataDir: string, options: StateDbOptions = {}): Promise<StateDb> {
    const { dir, file } = statePaths(dataDir);
    if (OPEN.has(file))
      throw new StateError(`the state database ${file} is already open in this process: share its StateDb`);
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    let instance: DuckDBInstance;
    try {
      instance = await DuckDBInstance.create(file, {
        threads: '1',
        memory_limit: '256MB',
        autoinstall_known_extensions: 'false',
        autoload_known_extensions: 'false',
      });
    } catch (e) {
      const holder = lockHolderOf(e);
      if (holder) throw new StateBusyError(file, holder.pid);
      throw new StateError(`cannot open the state database ${file}: ${(e as Error).message}`);
    }
    OPEN.add(file);
    const connection = await instance.connect();
    const db = new StateDb(file, instance, connection, options.migrations ?? MIGRATIONS);
    try {
      await connection.run("SET TimeZone = 'UTC'");
      await db.migrate();
      return db;
    } catch (e) {
      await db.close();
      throw e;
    }
  }

  /** Runs `fn` alone on the database: no other caller's statement runs between its statements. */
  session<T>(fn: (s: StateSession) => Promise<T>): Promise<T> {
    if (this.closed || this.closing) return Promise.reject(new StateError(`the state database ${this.file} is closed`));
    const c = this.connection;
    const s: StateSession = {
      // Without parameters a text may hold several statements (a migration); with them it is one prepared statement.
      all: async (sql, params) =>
        (params ? await c.runAndReadAll(sql, params) : await c.runAndReadAll(sql)).getRowObjectsJS().map(plain),
      run: async (sql, params) => void (params ? await c.run(sql, params) : await c.run(sql)),
    };
    // a session queued behind close() must not reach the closed connection (a native crash)
    const result = this.turn.then(() => {
      if (this.closed) throw new StateError(`the state database ${this.file} is closed`);
      return fn(s);
    });
    this.turn = result.catch(() => undefined);
    return result;
  }

  /** `fn` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (s: StateSession) => Promise<T>): Promise<T> {
    return this.session(async (s) => {
      await s.run('BEGIN TRANSACTION');
      try {
        const result = await fn(s);
        await s.run('COMMIT');
        return result;
      } catch (e) {
        await s.run('ROLLBACK');
        throw e;
      }
    });
  }

  /** Applies the migrations the file lacks (on open, and after a restore of an older backup); returns their ids. */
  migrate(): Promise<string[]> {
    return this.session((s) => migrate(s, this.file, this.migrations));
  }

  all(sql: string, params?: StateParams): Promise<StateRow[]> {
    return this.session((s) => s.all(sql, params));
  }

  run(sql: string, params?: StateParams): Promise<void> {
    return this.session((s) => s.run(sql, params));
  }

  /** Waits for the statements in flight, then checkpoints and releases the file (and its lock). */
  async close(): Promise<void> {
    if (this.closed || this.closing) return;
    const last = this.session((s) => s.run('CHECKPOINT'));
    this.closing = true;
    await last.catch(() => undefined);
    this.closed = true;
    this.connection.closeSync();
    this.instance.closeSync();
    OPEN.delete(this.file);
  }
}
