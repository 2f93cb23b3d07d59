import fs from 'node:fs';
import path from 'node:path';
import { moveAside, parquetDefect, type DamagedFile } from './damaged.js';
import { LakeLock } from './lake-lock.js';
import { lakePaths, type LakePaths } from './paths.js';
import { Staging } from './staging.js';

/** An upload folder untouched this long belongs to no live request, ms (an upload streams without pause). */
const UPLOAD_STALE_MS = 3_600_000;

export interface Recovery {
  /** Commits a crash interrupted, finished now. */
  finished: number;
  /** Abandoned staging workspaces, spill folders and uploads removed. */
  removed: number;
  /** Lake files that could not be read, moved aside now. */
  damaged: DamagedFile[];
}

/**
 * What `serve` and `start` run before answering (and `avlog doctor --repair`): under the lake lock, finish
 * interrupted commits, remove leftovers of dead writers and uploads, and move unreadable Parquet files aside.
 */
export async function recoverLake(dataDir: string, o: { onWait?: (message: string) => void } = {}): Promise<Recovery> {
  const paths = lakePaths(dataDir);
  const lock = await LakeLock.acquire(paths, 'recovery of the lake', o.onWait ? { onWait: o.onWait } : {});
  try {
    const staged = Staging.recover(paths);
    const removed = staged.removed + removeStaleUploads(paths);
    const damaged = unreadableFiles(paths).map(([rel, error]) => moveAside(paths, rel, error));
    return { finished: staged.finished, removed, damaged };
  } finally {
    lock.release();
  }
}

/** Lake Parquet files whose magic or footer is damaged, relative to `lake/`, with the reason. */
export function unreadableFiles(paths: LakePaths): [string, string][] {
  if (!fs.existsSync(paths.lake)) return [];
  const out: [string, string][] = [];
  for (const rel of fs.readdirSync(paths.lake, { recursive: true, encoding: 'utf8' })) {
    if (!rel.endsWith('.parquet')) continue;
    const defect = parquetDefect(path.join(paths.lake, rel));
    if (defect) out.push([rel, defect]);
  }
  return out.sort();
}

function removeStaleUploads(paths: LakePaths): number {
  const root = path.join(paths.staging, 'uploads');
  if (!fs.existsSync(root)) return 0;
  let n = 0;
  for (const id of fs.readdirSync(root)) {
    const dir = path.join(root, id);
    const newest = Math.max(
      fs.statSync(dir).mtimeMs,
      ...fs.readdirSync(dir).map((f) => fs.statSync(path.join(dir, f)).mtimeMs),
    );
    if (Date.now() - newest < UPLOAD_STALE_MS) continue;
    fs.rmSync(dir, { recursive: true, force: true });
    n++;
  }
  return n;
}
