/**
 * The state database cannot be used as asked: another process holds it, it was written by a newer avlog, or a
 * backup is not one. The message says which file and why; the CLI prints it without a stack (exit code 1).
 */
export class StateError extends Error {
  override readonly name: string = 'StateError';
}

/** Another process (usually a running `avlog serve`) holds the database's file lock. */
export class StateBusyError extends StateError {
  override readonly name: string = 'StateBusyError';
  readonly pid: number | undefined;

  constructor(file: string, pid: number | undefined) {
    super(
      `the state database ${file} is held by another process${pid !== undefined ? ` (pid ${pid})` : ''}, ` +
        'usually a running `avlog serve`: DuckDB lets one process open it for writing',
    );
    this.pid = pid;
  }
}

/** DuckDB's lock refusal reads "Could not set lock on file … Conflicting lock is held in … (PID n)". */
export function lockHolderOf(error: unknown): { pid: number | undefined } | undefined {
  const message = error instanceof Error ? error.message : String(error);
  if (!/Could not set lock on file/u.test(message)) return undefined;
  const pid = /\(PID (\d+)\)/u.exec(message)?.[1];
  return { pid: pid === undefined ? undefined : Number(pid) };
}
