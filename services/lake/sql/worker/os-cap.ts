import fs from 'node:fs';
import path from 'node:path';

/** `prlimit` (util-linux) on the PATH, or null: without it a worker has the RSS watchdog only. */
export function findPrlimit(): string | null {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir === '') continue;
    const candidate = path.join(dir, 'prlimit');
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // Not here.
    }
  }
  return null;
}

/** Resident set size of a process in bytes (Linux `/proc/PID/status` VmRSS), or null when it cannot be read. */
export function residentBytes(pid: number): number | null {
  let status: string;
  try {
    status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return null;
  }
  const kb = /^VmRSS:\s+(\d+)\s+kB/mu.exec(status)?.[1];
  return kb === undefined ? null : Number(kb) * 1024;
}
