/** What one sandbox allows a query. Per-query options can lower the row and time limits, never raise them. */
export interface SandboxLimits {
  /** DuckDB `memory_limit` of the sandbox instance (all of its queries together), e.g. '1GB'. */
  memoryLimit: string;
  /** DuckDB worker threads of the sandbox instance. */
  threads: number;
  /** Wall-clock limit of one query, from receipt to its last row, in ms. */
  timeoutMs: number;
  /** Rows a query returns when the caller does not say (the rest is cut off and the result marked truncated). */
  defaultRows: number;
  /** Rows a query may return at most, whatever the caller asks. */
  maxRows: number;
  /** Bytes of result (estimated: fixed-width values plus string lengths) a query may return; beyond it the result is truncated. */
  maxResultBytes: number;
  /** Characters of SQL text accepted. */
  maxSqlChars: number;
  /**
   * Queries running at once; more wait (up to their time limit, then `busy`). A query stopped at its time limit
   * keeps its place until DuckDB actually lets go of it, which bounds what non-interruptible work can pile up.
   */
  maxConcurrent: number;
}

export const DEFAULT_SANDBOX_LIMITS: SandboxLimits = {
  memoryLimit: '1GB',
  threads: 2,
  timeoutMs: 30_000,
  defaultRows: 10_000,
  maxRows: 1_000_000,
  maxResultBytes: 256 << 20,
  maxSqlChars: 100_000,
  maxConcurrent: 2,
};

/** The limits with defaults filled in and checked, so a bad value fails at open rather than at the first query. */
export function resolveLimits(partial: Partial<SandboxLimits> = {}): SandboxLimits {
  const limits = { ...DEFAULT_SANDBOX_LIMITS, ...partial };
  if (!/^\d+(\.\d+)?\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/iu.test(limits.memoryLimit)) {
    throw new Error(`memoryLimit must look like '512MB' or '1GB' (got "${limits.memoryLimit}")`);
  }
  for (const key of [
    'threads',
    'timeoutMs',
    'defaultRows',
    'maxRows',
    'maxResultBytes',
    'maxSqlChars',
    'maxConcurrent',
  ] as const) {
    if (!Number.isInteger(limits[key]) || limits[key] <= 0)
      throw new Error(`${key} must be a positive integer (got ${limits[key]})`);
  }
  limits.defaultRows = Math.min(limits.defaultRows, limits.maxRows);
  return limits;
}

/** A per-query request clamped to the sandbox's limit: at least 1 and at most `max`. */
export function clampToLimit(requested: number | undefined, fallback: number, max: number): number {
  if (requested === undefined || !Number.isFinite(requested)) return Math.min(fallback, max);
  return Math.max(1, Math.min(Math.floor(requested), max));
}
