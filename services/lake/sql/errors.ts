/** Why the sandbox refused or stopped a query. Every code maps to one 4xx status. */
export const SQL_REJECT_STATUS = {
  /** Nothing to run: empty text or only comments. */
  empty: 400,
  /** The text does not parse. */
  syntax: 400,
  /** More than one statement in the text. */
  multiple_statements: 400,
  /** A statement other than a SELECT (COPY, ATTACH, SET, PRAGMA, CREATE, INSTALL, EXPLAIN, …). */
  only_select: 403,
  /** A function that reads configuration, the environment or catalog metadata, or that runs SQL. */
  forbidden_function: 403,
  /** A table other than telemetry, events, quarantine and sources (or a CTE): qualified names, catalog views. */
  forbidden_table: 403,
  /** Anything that names a file: read_csv, read_parquet, glob, `FROM 'file.csv'`, … */
  file_access: 403,
  /** A SELECT shape the sandbox does not inspect (and so does not run). */
  unsupported: 400,
  /** The query parsed and passed inspection but DuckDB refused it (unknown column, bad cast, …). */
  query_error: 400,
  /** Ran past the time limit and was interrupted. */
  timeout: 408,
  /** More rows than the row limit when the caller asked not to truncate. */
  too_many_rows: 413,
  /** The SQL text is longer than the sandbox accepts. */
  too_long: 413,
  /** Ran out of the sandbox's memory limit, or would build a value too large to be held by it. */
  memory: 422,
  /** No result format the caller accepts (Accept header). */
  not_acceptable: 406,
  /** The sandbox already runs as many queries as it may (stopped ones count until DuckDB lets go of them). */
  busy: 429,
} as const;

export type SqlRejectCode = keyof typeof SQL_REJECT_STATUS;

/** A user query that the sandbox refused, or stopped at a limit. The message says why, in words for the user. */
export class SqlRejected extends Error {
  override readonly name = 'SqlRejected';
  readonly code: SqlRejectCode;
  /** Seconds after which a `busy` caller may try again (the `retry-after` header). */
  readonly retryAfterS: number | undefined;

  constructor(code: SqlRejectCode, message: string, options?: { cause?: unknown; retryAfterS?: number }) {
    super(message, options);
    this.code = code;
    this.retryAfterS = options?.retryAfterS;
  }

  /** The HTTP status for this rejection (always 4xx). */
  get status(): number {
    return SQL_REJECT_STATUS[this.code];
  }

  /** The JSON error body an API returns. */
  toJSON(): { error: { code: SqlRejectCode; message: string } } {
    return { error: { code: this.code, message: this.message } };
  }
}

/** The sandbox itself failed (not the user's query): a 5xx. The message names no path of the machine. */
export class SqlInternalError extends Error {
  override readonly name = 'SqlInternalError';
  readonly status = 500;
}
