export { SqlSandbox, type SqlQueryOptions, type SqlScope } from './sandbox.js';
export { SqlRejected, SqlInternalError, SQL_REJECT_STATUS, type SqlRejectCode } from './errors.js';
export { DEFAULT_SANDBOX_LIMITS, type SandboxLimits } from './limits.js';
export type { SqlResult, SqlColumn } from './result.js';
export {
  encode,
  encodeAs,
  encodeRejection,
  negotiateFormat,
  SQL_CONTENT_TYPES,
  type EncodedResult,
  type SqlFormat,
} from './encode.js';
export { runSqlCommand, SQL_COMMAND_HELP, type SqlCommandResult } from './cli.js';
export {
  SqlWorkerPool,
  killAllSqlWorkers,
  DEFAULT_POOL_OPTIONS,
  type SqlPoolOptions,
  type SqlAnswer,
  type SqlPoolQuery,
} from './worker/worker-pool.js';
