import { spawn, type ChildProcess } from 'node:child_process';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { SqlFormat } from '../encode.js';
import { SqlInternalError, SqlRejected } from '../errors.js';
import { clampToLimit, resolveLimits, type SandboxLimits } from '../limits.js';
import { findPrlimit, residentBytes } from './os-cap.js';
import type { FromWorker, ToWorker, WorkerBoot, WorkerQuery } from './protocol.js';

export interface SqlPoolOptions {
  /** Queries running at once, each in its own worker process. */
  workers: number;
  /** Idle workers kept started beyond `workers`, so a killed worker's place is taken at once (starting one takes seconds). */
  spares: number;
  /** Queries that may wait for a worker; past that a query is refused `busy` (429 with retry-after). */
  queue: number;
  /** Memory one worker may use, in MiB: its data segment limit (prlimit --data) and the RSS watchdog's cap. */
  workerMemoryMb: number;
  /** How long a query may wait for a free worker (a replaced worker takes a few seconds to start), in ms. */
  queueWaitMs: number;
  /** Time past a query's limit before its worker is killed, in ms (DuckDB gets this long to stop by itself). */
  graceMs: number;
  /** The sandbox's limits in each worker; `memoryLimit` defaults to 60 % of `workerMemoryMb`. */
  limits: Partial<SandboxLimits>;
}

export const DEFAULT_POOL_OPTIONS: SqlPoolOptions = {
  workers: 2,
  spares: 1,
  queue: 16,
  queueWaitMs: 10_000,
  workerMemoryMb: 1024,
  graceMs: 1000,
  limits: {},
};

/** Every open pool, so a process that must exit now can kill all its workers at once. */
const OPEN_POOLS = new Set<SqlWorkerPool>();

/** SIGKILLs every SQL worker of this process (a forced exit: no worker may outlive the server). */
export function killAllSqlWorkers(): void {
  for (const pool of OPEN_POOLS) pool.killAll();
}

/** How often the watchdog reads each worker's RSS. */
const WATCH_MS = 100;
/** Workers that die before they are ready, in a row, before the pool gives up replacing them. */
const MAX_START_FAILURES = 3;

export interface SqlPoolQuery {
  company?: string;
  maxRows?: number;
  maxBytes?: number;
  timeoutMs?: number;
  format: SqlFormat;
}

/** A query's answer once its first byte is known: the body streams from the worker as the reader takes it. */
export interface SqlAnswer {
  contentType: string;
  headers: Record<string, string>;
  body: Readable;
}

interface Job {
  query: WorkerQuery;
  resolve: (answer: SqlAnswer) => void;
  reject: (e: Error) => void;
  /** Set once the head has arrived. */
  body: Readable | null;
  /** The body's reader wants more but the worker waits for leave to send it. */
  owed: boolean;
  settled: boolean;
}

class Worker {
  readonly child: ChildProcess;
  ready = false;
  job: Job | null = null;
  /** Why the pool is killing it, if it is. */
  killedFor: 'timeout' | 'memory' | 'cancel' | 'close' | null = null;
  killTimer: NodeJS.Timeout | null = null;
  readonly watchdog: NodeJS.Timeout;

  constructor(child: ChildProcess, capBytes: number, onOver: (w: Worker) => void) {
    this.child = child;
    this.watchdog = setInterval(() => {
      const pid = this.child.pid;
      if (pid === undefined) return;
      const rss = residentBytes(pid);
      if (rss !== null && rss > capBytes) onOver(this);
    }, WATCH_MS);
    this.watchdog.unref();
  }

  send(m: ToWorker): void {
    // A worker killed a moment ago: its exit handler answers the query; the failed send is of no interest.
    if (this.child.connected) this.child.send(m, () => undefined);
  }
}

/**
 * User SQL in child processes (`worker-main.ts`), so no query can take the server's memory or CPU with it: each
 * worker runs DuckDB under the sandbox's limits plus an OS cap (`prlimit --data`) and an RSS watchdog; a query past
 * its time limit (+ grace) or its memory cap is answered 408 / 422 and its worker killed and replaced. Queries
 * beyond the free workers wait in a bounded queue (past it: 429 with retry-after). Results come back in batches,
 * each sent only once the server's reader has taken the previous one, so the server holds about one batch.
 */
export class SqlWorkerPool {
  readonly limits: SandboxLimits;
  private readonly options: SqlPoolOptions;
  private readonly boot: WorkerBoot;
  private readonly prlimit: string | null;
  private readonly workers = new Set<Worker>();
  private readonly queue: Job[] = [];
  private nextId = 1;
  private startFailures = 0;
  private closed = false;
  private started = false;
  private broken: string | null = null;

  private constructor(dataDir: string, options: SqlPoolOptions) {
    this.options = options;
    this.limits = resolveLimits({
      memoryLimit: `${Math.floor(options.workerMemoryMb * 0.6)}MB`,
      ...options.limits,
      maxConcurrent: 1,
    });
    this.boot = { dataDir, limits: this.limits };
    this.prlimit = findPrlimit();
    OPEN_POOLS.add(this);
  }

  /** The pool, its workers not started yet (`start`); queries wait in the queue until one is ready. */
  static open(dataDir: string, options: Partial<SqlPoolOptions> = {}): SqlWorkerPool {
    return new SqlWorkerPool(dataDir, { ...DEFAULT_POOL_OPTIONS, ...options });
  }

  /**
   * Starts the workers without waiting for them (one takes seconds to load on a busy machine). A worker that keeps
   * failing to start makes every query a 500 naming why.
   */
  start(): void {
    if (this.started || this.closed) return;
    this.started = true;
    for (let i = 0; i < this.options.workers + this.options.spares; i++) this.spawnWorker();
  }

  /** Resolves once a worker is ready to take a query (rejects when they fail to start). */
  async ready(): Promise<void> {
    const answer = await this.query('SELECT 1', { format: 'json' });
    answer.body.resume();
    await new Promise((resolve) => answer.body.once('end', resolve));
  }

  /** Worker processes' ids (for tests and the shutdown log). */
  get pids(): number[] {
    return [...this.workers].flatMap((w) => (w.child.pid === undefined ? [] : [w.child.pid]));
  }

  query(sql: string, q: SqlPoolQuery): Promise<SqlAnswer> {
    if (this.closed) return Promise.reject(new SqlInternalError('the SQL service is shutting down'));
    if (this.broken !== null) return Promise.reject(new SqlInternalError(this.broken));
    if (sql.length > this.limits.maxSqlChars) {
      return Promise.reject(
        new SqlRejected(
          'too_long',
          `the SQL text is ${sql.length} characters; at most ${this.limits.maxSqlChars} are accepted`,
        ),
      );
    }
    const busy = this.queue.length >= this.options.queue;
    if (busy) {
      const retryAfterS = Math.max(1, Math.ceil(this.queue.length / this.options.workers));
      return Promise.reject(
        new SqlRejected(
          'busy',
          `the SQL service is running ${this.options.workers} queries with ${this.queue.length} waiting; try again in ${retryAfterS} s`,
          { retryAfterS },
        ),
      );
    }
    const timeoutMs = clampToLimit(q.timeoutMs, this.limits.timeoutMs, this.limits.timeoutMs);
    this.start();
    return new Promise<SqlAnswer>((resolve, reject) => {
      const job: Job = {
        query: {
          type: 'query',
          id: this.nextId++,
          sql,
          company: q.company,
          maxRows: q.maxRows,
          maxBytes: q.maxBytes,
          timeoutMs,
          format: q.format,
        },
        resolve,
        reject,
        body: null,
        owed: false,
        settled: false,
      };
      this.queue.push(job);
      // A query's time limit starts when a worker takes it; waiting for one is bounded apart (but not while no
      // worker has started yet: that is the pool starting, not being busy).
      const expire = (): void => {
        if (!this.queue.includes(job)) return;
        if (![...this.workers].some((w) => w.ready)) {
          setTimeout(expire, this.options.queueWaitMs).unref();
          return;
        }
        this.queue.splice(this.queue.indexOf(job), 1);
        this.settle(
          job,
          new SqlRejected('busy', `no SQL worker was free within ${this.options.queueWaitMs} ms; try again shortly`, {
            retryAfterS: 1,
          }),
        );
      };
      setTimeout(expire, this.options.queueWaitMs).unref();
      this.dispatch();
    });
  }

  /** Kills every worker and refuses queued and new queries. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    OPEN_POOLS.delete(this);
    for (const job of this.queue.splice(0)) this.settle(job, new SqlInternalError('the SQL service is shutting down'));
    const exits = [...this.workers].map((w) => this.kill(w, 'close'));
    await Promise.all(exits);
  }

  /** SIGKILLs every worker now, without waiting (see `killAllSqlWorkers`). */
  killAll(): void {
    this.closed = true;
    for (const w of this.workers) {
      w.killedFor ??= 'close';
      w.child.kill('SIGKILL');
    }
  }

  private dispatch(): void {
    let running = [...this.workers].filter((w) => w.job !== null).length;
    for (const worker of this.workers) {
      if (this.queue.length === 0 || running >= this.options.workers) return;
      if (!worker.ready || worker.job !== null || worker.killedFor !== null) continue;
      const job = this.queue.shift();
      if (job === undefined) return;
      this.run(worker, job);
      running++;
    }
  }

  private run(worker: Worker, job: Job): void {
    worker.job = job;
    const timeoutMs = job.query.timeoutMs;
    worker.send(job.query);
    worker.killTimer = setTimeout(() => {
      if (job.body === null) void this.kill(worker, 'timeout');
    }, timeoutMs + this.options.graceMs);
  }

  private spawnWorker(): Worker {
    const boot = fileURLToPath(new URL('./worker-boot.mjs', import.meta.url));
    const capBytes = this.options.workerMemoryMb * 1024 * 1024;
    const nodeArgs = [boot, JSON.stringify(this.boot)];
    const child =
      this.prlimit === null
        ? spawn(process.execPath, nodeArgs, {
            stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
            serialization: 'advanced',
          })
        : spawn(this.prlimit, [`--data=${capBytes}`, '--', process.execPath, ...nodeArgs], {
            stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
            serialization: 'advanced',
          });
    const worker = new Worker(child, capBytes, (w) => void this.kill(w, 'memory'));
    this.workers.add(worker);
    child.on('message', (m: FromWorker) => this.onMessage(worker, m));
    // Spawn and IPC errors end in 'exit' as well, which replaces the worker.
    child.on('error', (e) => process.stderr.write(`avlog SQL worker: ${e.message}\n`));
    child.on('exit', (code, signal) => this.onExit(worker, code, signal));
    return worker;
  }

  private onMessage(worker: Worker, m: FromWorker): void {
    if (m.type === 'ready') {
      worker.ready = true;
      this.startFailures = 0;
      this.dispatch();
      return;
    }
    const job = worker.job;
    if (job === null || m.id !== job.query.id) return;
    switch (m.type) {
      case 'head': {
        if (worker.killTimer) clearTimeout(worker.killTimer);
        const body = new Readable({
          read: () => {
            if (!job.owed) return;
            job.owed = false;
            worker.send({ type: 'more', id: job.query.id });
          },
        });
        // A reader that goes away before the end: the worker may be mid-result, so it is replaced.
        body.on('close', () => {
          if (worker.job === job) void this.kill(worker, 'cancel');
        });
        job.body = body;
        job.settled = true;
        job.resolve({ contentType: m.contentType, headers: m.headers, body });
        return;
      }
      case 'batch':
        if (job.body?.push(Buffer.from(m.bytes.buffer, m.bytes.byteOffset, m.bytes.byteLength))) {
          worker.send({ type: 'more', id: job.query.id });
        } else job.owed = true;
        return;
      case 'end':
        this.finish(worker);
        job.body?.push(null);
        return;
      case 'rejected': {
        const rejection = new SqlRejected(m.code, m.message);
        // A query stopped at its time or memory limit may still be running inside DuckDB: its worker is replaced.
        if (m.code === 'timeout' || m.code === 'memory') {
          this.settle(job, rejection);
          void this.kill(worker, 'cancel');
        } else {
          this.finish(worker);
          this.settle(job, rejection);
        }
        return;
      }
      case 'failed':
        this.finish(worker);
        this.settle(job, new SqlInternalError(m.message));
        return;
    }
  }

  /** The worker is free again (its query ended normally). */
  private finish(worker: Worker): void {
    if (worker.killTimer) clearTimeout(worker.killTimer);
    worker.job = null;
    this.dispatch();
  }

  private settle(job: Job, e: Error): void {
    if (job.settled) {
      job.body?.destroy(e);
      return;
    }
    job.settled = true;
    job.reject(e);
  }

  private kill(worker: Worker, reason: NonNullable<Worker['killedFor']>): Promise<void> {
    if (worker.killedFor === null) worker.killedFor = reason;
    if (worker.child.exitCode !== null || worker.child.signalCode !== null) return Promise.resolve();
    const exited = new Promise<void>((resolve) => worker.child.once('exit', () => resolve()));
    worker.child.kill('SIGKILL');
    return exited;
  }

  private onExit(worker: Worker, code: number | null, signal: NodeJS.Signals | null): void {
    clearInterval(worker.watchdog);
    if (worker.killTimer) clearTimeout(worker.killTimer);
    this.workers.delete(worker);
    const job = worker.job;
    worker.job = null;
    if (job !== null) {
      const limitMb = this.options.workerMemoryMb;
      const timeoutMs = job.query.timeoutMs;
      const e =
        worker.killedFor === 'timeout'
          ? new SqlRejected(
              'timeout',
              `the query ran past its ${timeoutMs} ms limit and did not stop when interrupted; its worker was stopped`,
            )
          : worker.killedFor === 'close'
            ? new SqlInternalError('the SQL service is shutting down')
            : worker.killedFor === 'cancel'
              ? new SqlInternalError('the query was cancelled')
              : new SqlRejected(
                  'memory',
                  `the query needed more memory than a SQL worker may use (${limitMb} MiB); its worker was stopped (${signal ?? `exit code ${code}`})`,
                );
      this.settle(job, e);
    }
    if (this.closed) return;
    if (!worker.ready && ++this.startFailures >= MAX_START_FAILURES) {
      this.broken = `the SQL workers fail to start (last exit: ${signal ?? `code ${code}`}); see the server's stderr`;
      for (const queued of this.queue.splice(0)) this.settle(queued, new SqlInternalError(this.broken));
      return;
    }
    this.spawnWorker();
  }
}
