import { StatementType, type DuckDBConnection, type DuckDBResult } from '@duckdb/node-api';
import { lakePaths, type LakePaths } from '../../ingest/lake/paths.js';
import { isCompanyId } from '../../ingest/normalize/identifiers.js';
import { ColumnBuilder } from './column-builder.js';
import { isFatal, rejectionFor, scrubPaths } from './duckdb-errors.js';
import { SqlInternalError, SqlRejected } from './errors.js';
import {
  baseViewSql,
  SANDBOX_VIEWS,
  scopedViewSql,
  scopeSearchPathSql,
  ViewFiles,
  type SandboxView,
} from './lake-views.js';
import { clampToLimit, resolveLimits, type SandboxLimits } from './limits.js';
import { openLockedInstance, type LockedInstance } from './locked-instance.js';
import { QuerySlots } from './query-slots.js';
import type { SqlResult } from './result.js';
import { inspectSelectTree } from './statement-guard.js';

/** Who is asking: with a company, the views show that company's rows only. */
export interface SqlScope {
  company?: string;
}

export interface SqlQueryOptions {
  scope?: SqlScope;
  /** Rows to return at most (capped by the sandbox's `maxRows`; default its `defaultRows`). */
  maxRows?: number;
  /** Result bytes at most (capped by the sandbox's `maxResultBytes`), e.g. a role's limit. */
  maxBytes?: number;
  /** Time limit in ms (capped by the sandbox's `timeoutMs`). */
  timeoutMs?: number;
  /** Beyond `maxRows`: true (default) returns the first rows marked `truncated`; false rejects with `too_many_rows`. */
  truncate?: boolean;
}

/** Extra time past the limit before a query that DuckDB could not interrupt (e.g. still binding) is abandoned. */
const ABANDON_GRACE_MS = 1000;
/** How often a timed-out query is interrupted again (an interrupt between two steps could be missed). */
const REINTERRUPT_MS = 50;

/**
 * Runs engineers' SQL against read-only views of the lake (`telemetry`, `events`, `quarantine`, `sources`) in a
 * separate, locked DuckDB instance. Two walls stand between a query and anything else:
 *  - DuckDB's own: external access off except the lake and the catalog folders, configuration locked, no
 *    extension loading, a memory limit and no spilling (`locked-instance.ts`);
 *  - the sandbox's: exactly one statement, a SELECT by its parse tree and by its prepared type, whose tree names
 *    only the four views (or its own CTEs), only row-making table functions and no function that reads settings,
 *    files or metadata (`statement-guard.ts`).
 * Each query runs on its own connection, with a timer that interrupts it, and rows are pulled chunk by chunk
 * only up to the row limit. A scoped query reads the company's views (`lake-views.ts`).
 */
export class SqlSandbox {
  readonly limits: SandboxLimits;
  private readonly paths: LakePaths;
  private readonly files: ViewFiles;
  private locked: LockedInstance;
  private viewState: Record<SandboxView, boolean>;
  /** Companies whose views exist in the current instance. */
  private readonly scopes = new Set<string>();
  private readonly active = new Set<DuckDBConnection>();
  private readonly slots: QuerySlots;
  /** Serialises view maintenance and instance replacement. */
  private admin: Promise<unknown> = Promise.resolve();
  private broken = false;
  private closed = false;

  private constructor(
    paths: LakePaths,
    limits: SandboxLimits,
    files: ViewFiles,
    locked: LockedInstance,
    state: Record<SandboxView, boolean>,
  ) {
    this.paths = paths;
    this.limits = limits;
    this.files = files;
    this.locked = locked;
    this.viewState = state;
    this.slots = new QuerySlots(limits.maxConcurrent);
  }

  static async open(dataDir: string, limits?: Partial<SandboxLimits>): Promise<SqlSandbox> {
    const paths = lakePaths(dataDir);
    const resolved = resolveLimits(limits);
    const files = new ViewFiles(paths);
    const state = files.probe();
    const locked = await openLockedInstance(paths, resolved, state);
    return new SqlSandbox(paths, resolved, files, locked, state);
  }

  /** Runs one SELECT. Throws `SqlRejected` (a 4xx) for anything refused or stopped, `SqlInternalError` (a 5xx) otherwise. */
  async query(sql: string, opts: SqlQueryOptions = {}): Promise<SqlResult> {
    const started = performance.now();
    if (this.closed) throw new SqlInternalError('the SQL sandbox is closed');
    if (typeof sql !== 'string') throw new SqlRejected('empty', 'send the SQL as a string');
    if (sql.length > this.limits.maxSqlChars) {
      throw new SqlRejected(
        'too_long',
        `the SQL text is ${sql.length} characters; at most ${this.limits.maxSqlChars} are accepted`,
      );
    }
    if (sql.trim() === '') throw new SqlRejected('empty', 'the SQL text is empty');
    // DuckDB reads the text as a C string: whatever follows a NUL would be invisible to every check.
    if (sql.includes('\u0000')) throw new SqlRejected('syntax', 'the SQL text contains a NUL character');
    const company = opts.scope?.company;
    if (company !== undefined && !isCompanyId(company))
      throw new TypeError(`not a company id: ${JSON.stringify(company)}`);
    const timeoutMs = clampToLimit(opts.timeoutMs, this.limits.timeoutMs, this.limits.timeoutMs);
    const maxRows = clampToLimit(opts.maxRows, this.limits.defaultRows, this.limits.maxRows);
    const maxBytes = clampToLimit(opts.maxBytes, this.limits.maxResultBytes, this.limits.maxResultBytes);

    const release = await this.slots.acquire(timeoutMs);
    let connection: DuckDBConnection;
    try {
      await this.prepareViews(company);
      connection = await this.locked.instance.connect();
    } catch (e) {
      release();
      throw e;
    }
    this.active.add(connection);
    // The time spent waiting for a slot counts against the limit.
    const clock = new QueryClock(connection, Math.max(1, timeoutMs - (performance.now() - started)));
    const work = this.run(connection, clock, sql, {
      company,
      database: this.locked.database,
      maxRows,
      maxBytes,
      truncate: opts.truncate ?? true,
      started,
    });
    // The slot and the connection are given back when DuckDB is done, even if the caller was answered earlier.
    void work
      .catch(() => undefined)
      .finally(() => {
        clock.stop();
        this.active.delete(connection);
        try {
          connection.closeSync();
        } catch {
          // Its instance was already closed or replaced.
        }
        release();
      });
    try {
      return await clock.race(work);
    } catch (e) {
      throw this.failure(e, clock.timedOut);
    }
  }

  /** Interrupts running queries and closes the instance. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const c of this.active) c.interrupt();
    this.locked.admin.closeSync();
    this.locked.instance.closeSync();
  }

  private async run(
    connection: DuckDBConnection,
    clock: QueryClock,
    sql: string,
    q: {
      company: string | undefined;
      database: string;
      maxRows: number;
      maxBytes: number;
      truncate: boolean;
      started: number;
    },
  ): Promise<SqlResult> {
    // 1. Exactly one statement (parse only). The parse tree (also parse only) explains a text that has none.
    const tree = await parseTree(connection, sql);
    let extracted;
    try {
      extracted = await connection.extractStatements(sql);
    } catch {
      inspectSelectTree(tree);
      throw new SqlRejected('empty', 'the SQL text holds no statement');
    }
    if (extracted.count !== 1) {
      const hint = /\bpivot\b/iu.test(sql)
        ? '; a PIVOT without an IN (…) list of values runs as several statements'
        : '';
      throw new SqlRejected('multiple_statements', `send exactly one SELECT statement (got ${extracted.count}${hint})`);
    }
    clock.check();

    // 2. Its parse tree: a SELECT that names only what a user query may name.
    inspectSelectTree(tree);
    clock.check();

    // 3. The caller's views, then the prepared statement's own type.
    if (q.company !== undefined) await connection.run(scopeSearchPathSql(q.database, q.company));
    const prepared = await extracted.prepare(0);
    try {
      if (prepared.statementType !== StatementType.SELECT)
        throw new SqlRejected('only_select', 'only a SELECT statement may run here');
      clock.check();
      // 4. Stream, pulling chunks only up to the row limit (+1 row to know whether there was more).
      const result = await prepared.stream();
      return await this.fetch(result, clock, q);
    } finally {
      prepared.destroySync();
    }
  }

  private async fetch(
    result: DuckDBResult,
    clock: QueryClock,
    q: { maxRows: number; maxBytes: number; truncate: boolean; started: number },
  ): Promise<SqlResult> {
    const names = result.deduplicatedColumnNames();
    const types = result.columnTypes();
    const builders = types.map((t) => new ColumnBuilder(t));
    let rows = 0;
    let truncated = false;
    for (;;) {
      clock.check();
      const chunk = await result.fetchChunk();
      if (!chunk || chunk.rowCount === 0) break;
      const room = q.maxRows - rows;
      const take = Math.min(room, chunk.rowCount);
      if (take < chunk.rowCount && !q.truncate) {
        throw new SqlRejected(
          'too_many_rows',
          `the query returns more than ${q.maxRows} rows; add a LIMIT or aggregate`,
        );
      }
      for (let c = 0; c < builders.length; c++) builders[c]?.append(chunk, c, take);
      rows += take;
      if (take < chunk.rowCount) {
        truncated = true;
        break;
      }
      if (builders.reduce((n, b) => n + b.bytes, 0) > q.maxBytes) {
        if (!q.truncate)
          throw new SqlRejected(
            'too_many_rows',
            `the result is larger than ${q.maxBytes} bytes; select fewer rows or columns`,
          );
        truncated = true;
        break;
      }
    }
    clock.check();
    return {
      columns: builders.map((b, i) => ({
        name: names[i] ?? `column${i}`,
        type: b.type.toString(),
        duckdbType: b.type,
        data: b.finish(),
      })),
      rowCount: rows,
      truncated,
      elapsedMs: Math.round(performance.now() - q.started),
    };
  }

  /** Brings the base views in line with the lake (a table's first files), replaces a broken instance, makes the scope's views. */
  private prepareViews(company: string | undefined): Promise<void> {
    const step = this.admin.then(async () => {
      if (this.broken) await this.replaceInstance();
      const state = this.files.probe();
      let changed = false;
      for (const view of SANDBOX_VIEWS) {
        if (state[view] !== this.viewState[view]) {
          await this.locked.admin.run(await baseViewSql(this.locked.admin, view, this.paths, state[view]));
          this.viewState[view] = state[view];
          changed = true;
        }
      }
      if (changed) this.scopes.clear();
      if (company !== undefined && !this.scopes.has(company)) {
        for (const statement of scopedViewSql(this.locked.database, company)) await this.locked.admin.run(statement);
        this.scopes.add(company);
      }
    });
    this.admin = step.catch(() => undefined);
    return step.catch((e: unknown) => {
      if (isFatal(e)) this.broken = true;
      throw new SqlInternalError(
        `the SQL sandbox could not prepare its views: ${scrubPaths(String(e), this.paths.root)}`,
        { cause: e },
      );
    });
  }

  private async replaceInstance(): Promise<void> {
    const old = this.locked;
    for (const c of this.active) c.interrupt();
    const state = this.files.probe();
    this.locked = await openLockedInstance(this.paths, this.limits, state);
    this.viewState = state;
    this.scopes.clear();
    this.broken = false;
    try {
      old.admin.closeSync();
      old.instance.closeSync();
    } catch {
      // Already unusable.
    }
  }

  private failure(e: unknown, timedOut: boolean): Error {
    if (timedOut) return new SqlRejected('timeout', 'the query ran past the time limit and was stopped', { cause: e });
    const rejection = rejectionFor(e, { dataRoot: this.paths.root, memoryLimit: this.limits.memoryLimit });
    if (rejection) return rejection;
    if (isFatal(e)) this.broken = true;
    return new SqlInternalError(scrubPaths(e instanceof Error ? e.message : String(e), this.paths.root), { cause: e });
  }
}

/** `json_serialize_sql` of the text: DuckDB's parse tree as JSON, or `{ error: true, … }` (it never runs anything). */
async function parseTree(connection: DuckDBConnection, sql: string): Promise<unknown> {
  const reader = await connection.runAndReadAll('SELECT json_serialize_sql($1::VARCHAR) AS tree', [sql]);
  return JSON.parse(String(reader.getRows()[0]?.[0] ?? 'null'));
}

/** A query's time limit: interrupts the connection when it passes (and keeps doing so until the query ends). */
class QueryClock {
  timedOut = false;
  private readonly connection: DuckDBConnection;
  private readonly timer: NodeJS.Timeout;
  private repeat: NodeJS.Timeout | null = null;
  private readonly expired: Promise<never>;

  constructor(connection: DuckDBConnection, timeoutMs: number) {
    this.connection = connection;
    let fire: () => void = () => undefined;
    this.expired = new Promise<never>((_, reject) => {
      fire = () => reject(new SqlRejected('timeout', 'the query ran past the time limit and was stopped'));
    });
    this.expired.catch(() => undefined);
    this.timer = setTimeout(() => {
      this.timedOut = true;
      this.connection.interrupt();
      this.repeat = setInterval(() => this.connection.interrupt(), REINTERRUPT_MS);
      setTimeout(fire, ABANDON_GRACE_MS).unref();
    }, timeoutMs);
  }

  /** Throws between steps once the limit has passed. */
  check(): void {
    if (this.timedOut) throw new SqlRejected('timeout', 'the query ran past the time limit and was stopped');
  }

  /** The work's outcome, or a timeout once the limit and ABANDON_GRACE_MS more have passed without one. */
  race<T>(work: Promise<T>): Promise<T> {
    return Promise.race([work, this.expired]);
  }

  stop(): void {
    clearTimeout(this.timer);
    if (this.repeat) clearInterval(this.repeat);
  }
}
