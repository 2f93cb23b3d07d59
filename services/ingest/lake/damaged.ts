import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from './atomic-write.js';
import type { LakePaths } from './paths.js';

/** A lake file that could not be read, moved aside to `<data>/damaged/` so the rest of the lake keeps answering. */
export interface DamagedFile {
  /** Where it was, relative to `lake/`. */
  path: string;
  /** Where it is now, relative to the data directory. */
  moved_to: string;
  source_id: string | null;
  error: string;
  moved_at: string;
}

const PART = /part-([0-9a-f]{16})-/u;

export function damagedRecord(paths: LakePaths): string {
  return path.join(path.dirname(paths.catalog), 'damaged.json');
}

export function listDamaged(paths: LakePaths): DamagedFile[] {
  try {
    return JSON.parse(fs.readFileSync(damagedRecord(paths), 'utf8')) as DamagedFile[];
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
}

/** Why a Parquet file cannot be read (its magic and footer, not its pages), or null when it looks whole. */
export function parquetDefect(file: string): string | null {
  const fd = fs.openSync(file, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    if (size < 12) return `${size} bytes: too short to be a Parquet file`;
    const head = Buffer.alloc(4);
    const tail = Buffer.alloc(8);
    fs.readSync(fd, head, 0, 4, 0);
    fs.readSync(fd, tail, 0, 8, size - 8);
    if (head.toString('latin1') !== 'PAR1') return 'not a Parquet file: bad magic at byte offset 0';
    if (tail.toString('latin1', 4) !== 'PAR1')
      return `truncated or damaged Parquet file: no footer magic at byte offset ${size - 4}`;
    const footer = tail.readUInt32LE(0);
    if (footer + 12 > size) return `damaged Parquet footer: length ${footer} exceeds the file's ${size} bytes`;
    return null;
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Moves one unreadable lake file to `<data>/damaged/<same relative path>` and records it (path, source, error) in
 * `catalog/damaged.json`, which `/api/sources` and `avlog doctor` show. Only for the holder of the lake lock.
 */
export function moveAside(paths: LakePaths, rel: string, error: string): DamagedFile {
  const to = path.join('damaged', rel);
  fs.mkdirSync(path.dirname(path.join(paths.root, to)), { recursive: true });
  fs.renameSync(path.join(paths.lake, rel), path.join(paths.root, to));
  const record: DamagedFile = {
    path: rel,
    moved_to: to,
    source_id: PART.exec(path.basename(rel))?.[1] ?? null,
    error,
    moved_at: new Date().toISOString(),
  };
  writeFileAtomic(damagedRecord(paths), `${JSON.stringify([...listDamaged(paths), record], null, 1)}\n`);
  return record;
}
