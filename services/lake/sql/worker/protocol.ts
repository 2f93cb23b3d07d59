import type { SqlRejectCode } from '../errors.js';
import type { SqlFormat } from '../encode.js';
import type { SandboxLimits } from '../limits.js';

/** What the pool tells a SQL worker process at start (argv[2], JSON). */
export interface WorkerBoot {
  dataDir: string;
  limits: SandboxLimits;
}

export interface WorkerQuery {
  type: 'query';
  id: number;
  sql: string;
  company: string | undefined;
  maxRows: number | undefined;
  maxBytes: number | undefined;
  timeoutMs: number;
  format: SqlFormat;
}

/** Parent → worker: a query, or leave to send the next batch (backpressure: one batch in flight at a time). */
export type ToWorker = WorkerQuery | { type: 'more'; id: number };

/** Worker → parent. `head` comes before the first batch; `end`, `rejected` or `failed` ends a query. */
export type FromWorker =
  | { type: 'ready' }
  | { type: 'head'; id: number; contentType: string; headers: Record<string, string> }
  | { type: 'batch'; id: number; bytes: Uint8Array }
  | { type: 'end'; id: number }
  | { type: 'rejected'; id: number; code: SqlRejectCode; message: string }
  | { type: 'failed'; id: number; message: string };
