import { SqlRejected } from './errors.js';

/** DuckDB errors that mean the instance itself is broken: the sandbox replaces it before the next query. */
export function isFatal(e: unknown): boolean {
  const message = e instanceof Error ? e.message : String(e);
  return /^(FATAL|INTERNAL) Error|database has been invalidated/imu.test(message);
}

/**
 * Turns a DuckDB error raised by a user query into a rejection with a 4xx code, or returns null for errors that
 * are the sandbox's fault (fatal/internal, I/O on the lake's own files), which the caller rethrows as a 5xx.
 * Paths under the data directory are replaced by `<data>` so an error never tells a user where the lake is.
 */
export function rejectionFor(e: unknown, context: { dataRoot: string; memoryLimit: string }): SqlRejected | null {
  if (e instanceof SqlRejected) return e;
  const raw = e instanceof Error ? e.message : String(e);
  const message = scrubPaths(raw, context.dataRoot);
  const kind = /^([A-Za-z ]+?) Error:/u.exec(message)?.[1] ?? '';
  if (isFatal(e)) return null;
  switch (kind) {
    case 'INTERRUPT':
      return new SqlRejected('timeout', 'the query ran past the time limit and was stopped', { cause: e });
    case 'Out of Memory':
      return new SqlRejected(
        'memory',
        `the query needs more memory than the sandbox allows (${context.memoryLimit}): ${firstLine(message)}`,
        { cause: e },
      );
    case 'Permission':
      return new SqlRejected('file_access', `${firstLine(message)} (only the lake's views can be read)`, { cause: e });
    case 'Parser':
      return new SqlRejected('syntax', message, { cause: e });
    case 'IO':
    case 'HTTP':
      return null;
    default:
      return new SqlRejected('query_error', message, { cause: e });
  }
}

export function scrubPaths(message: string, dataRoot: string): string {
  if (!dataRoot) return message;
  return message.split(dataRoot).join('<data>');
}

function firstLine(s: string): string {
  return s.split('\n', 1)[0] ?? s;
}
