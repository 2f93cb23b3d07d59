import { encodeAs } from './encode.js';
import { SqlRejected } from './errors.js';
import type { SandboxLimits } from './limits.js';
import { SqlSandbox } from './sandbox.js';

export const SQL_COMMAND_HELP = `usage: avlog sql [--data DIR] [--format json|csv] "SELECT …"

Runs one read-only SELECT over the lake's views telemetry, events, quarantine and sources (DuckDB SQL), in the
same sandbox as POST /api/sql: no file, setting or extension outside the lake; a time, row and memory limit.

  --data DIR           data directory (default $AVLOG_DATA or ./data)
  --format json|csv    output format (default json)

Exit code: 0 when the query ran (a cut-off result says so on stderr), 1 when it was refused or failed.`;

export interface SqlCommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface SqlCommandOptions {
  /** Rows to print at most (capped by the sandbox limit). */
  maxRows?: number;
  timeoutMs?: number;
  limits?: Partial<SandboxLimits>;
}

/** `avlog sql`: runs the query in a fresh sandbox over `dataDir` and returns what to print and the exit code. */
export async function runSqlCommand(
  dataDir: string,
  sql: string,
  format: 'json' | 'csv',
  options: SqlCommandOptions = {},
): Promise<SqlCommandResult> {
  let sandbox: SqlSandbox | null = null;
  try {
    sandbox = await SqlSandbox.open(dataDir, options.limits);
    const result = await sandbox.query(sql, { maxRows: options.maxRows, timeoutMs: options.timeoutMs });
    const encoded = encodeAs(result, format);
    const stdout = Buffer.from(encoded.body).toString('utf8');
    const note = result.truncated
      ? `avlog sql: showing the first ${result.rowCount} rows; there are more (add a LIMIT, or aggregate)\n`
      : '';
    return { code: 0, stdout: format === 'json' ? `${stdout}\n` : stdout, stderr: note };
  } catch (e) {
    if (e instanceof SqlRejected) return { code: 1, stdout: '', stderr: `avlog sql: ${e.code}: ${e.message}\n` };
    return { code: 1, stdout: '', stderr: `avlog sql: ${e instanceof Error ? e.message : String(e)}\n` };
  } finally {
    sandbox?.close();
  }
}
