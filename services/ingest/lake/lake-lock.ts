import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { LakePaths } from './paths.js';

/** Who holds the lake: written whole (temp file + link) so a reader never sees a part. */
export interface LockHolder {
  token: string;
  pid: number;
  /** The holder process's start time (Linux: clock ticks since boot, /proc/<pid>/stat field 22); null elsewhere. */
  started: number | null;
  host: string;
  purpose: string;
  since: string;
}

/** Waiting longer than this for another writer is an error, ms (10 minutes; `AVLOG_LOCK_WAIT_MS`). */
export const DEFAULT_LOCK_WAIT_MS = 600_000;

export class LakeBusyError extends Error {
  constructor(
    readonly holder: LockHolder,
    waitedMs: number,
  ) {
    super(
      `the lake is locked by ${describeHolder(holder)}; gave up after waiting ${Math.round(waitedMs / 1000)} s (try again later)`,
    );
  }
}

export function describeHolder(h: LockHolder): string {
  return `${h.purpose} (pid ${h.pid} on ${h.host}, since ${h.since})`;
}

/**
 * One writer per lake: `<data>/lake.lock` names its holder by a unique token. Every writer (CLI ingest, uploads,
 * rollup, serve's recovery, doctor --repair) takes it, in this process or any other; the others wait, told who
 * they wait for. A lock whose process is gone — or whose pid now belongs to a process started at another time —
 * is stale and taken over.
 */
export class LakeLock {
  private constructor(
    private readonly file: string,
    readonly token: string,
  ) {}

  static async acquire(
    paths: LakePaths,
    purpose: string,
    o: { waitMs?: number; onWait?: (message: string) => void } = {},
  ): Promise<LakeLock> {
    const file = path.join(paths.root, 'lake.lock');
    fs.mkdirSync(paths.root, { recursive: true });
    const me: LockHolder = {
      token: crypto.randomUUID(),
      pid: process.pid,
      started: processStart(process.pid),
      host: os.hostname(),
      purpose,
      since: new Date().toISOString(),
    };
    const waitMs = o.waitMs ?? (Number(process.env.AVLOG_LOCK_WAIT_MS) || DEFAULT_LOCK_WAIT_MS);
    const began = Date.now();
    let told = '';
    for (let delay = 20; ; delay = Math.min(delay * 2, 250)) {
      if (tryCreate(file, me)) return new LakeLock(file, me.token);
      const holder = readHolder(file);
      if (holder && isStale(holder)) {
        takeAway(file, holder.token);
        continue;
      }
      if (holder === null) {
        // Unreadable: being written right now, or left half-written by a crash long ago.
        const age = fileAgeMs(file);
        if (age !== null && age > 5000) takeAway(file, null);
        await sleep(delay);
        continue;
      }
      if (holder.token !== told) {
        told = holder.token;
        o.onWait?.(`waiting for ${describeHolder(holder)} to finish writing the lake`);
      }
      if (Date.now() - began > waitMs) throw new LakeBusyError(holder, Date.now() - began);
      await sleep(delay);
    }
  }

  /** The current holder, or null when nobody holds the lake (a stale holder counts as nobody). */
  static holder(paths: LakePaths): LockHolder | null {
    const h = readHolder(path.join(paths.root, 'lake.lock'));
    return h && !isStale(h) ? h : null;
  }

  release(): void {
    if (readHolder(this.file)?.token === this.token) fs.rmSync(this.file, { force: true });
  }
}

function tryCreate(file: string, me: LockHolder): boolean {
  const tmp = `${file}.${me.token}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(me));
  try {
    fs.linkSync(tmp, file);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}

function readHolder(file: string): LockHolder | null {
  try {
    const h = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<LockHolder>;
    return typeof h.token === 'string' && typeof h.pid === 'number' ? (h as LockHolder) : null;
  } catch {
    return null;
  }
}

/** Removes the lock file if it still holds `token` (null: whatever it holds), without racing a new holder away. */
function takeAway(file: string, token: string | null): void {
  const aside = `${file}.stale-${crypto.randomUUID()}`;
  try {
    fs.renameSync(file, aside);
  } catch {
    return;
  }
  const moved = readHolder(aside);
  if (token !== null && moved?.token !== token) {
    // Someone else took the stale lock over between our read and the rename: give theirs back.
    try {
      fs.linkSync(aside, file);
    } catch {
      // A third writer holds it now; theirs stands.
    }
  }
  fs.rmSync(aside, { force: true });
}

function isStale(h: LockHolder): boolean {
  if (h.host !== os.hostname()) return false;
  if (!isAlive(h.pid)) return true;
  const started = processStart(h.pid);
  return h.started !== null && started !== null && started !== h.started;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Start time of a process in clock ticks since boot (Linux), so a recycled pid is told from the holder. */
export function processStart(pid: number): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count fields after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const v = Number(fields[19]);
    return Number.isFinite(v) ? v : null;
  } catch {
    return null;
  }
}

function fileAgeMs(file: string): number | null {
  const st = fs.statSync(file, { throwIfNoEntry: false });
  return st ? Date.now() - st.mtimeMs : null;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
