import { rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { generateFleet } from './generate.js';
import { seedOptions } from './options.js';

/** Typical telemetry rows one vehicle writes in a day at `drivesPerDay` (10 Hz, ~25 min drives). */
const ROWS_PER_VEHICLE_DAY = 15_000;
const BENCH_DAYS = 61;
const BENCH_DRIVES_PER_DAY = 1.5;

/**
 * Generates about `rows` telemetry rows of canonical CSV into `dir` (a fleet sized so the run stops at the drive
 * that reaches `rows`) and reports the generator's throughput, writing included.
 */
export async function benchSeed(
  rows: number,
  dir: string,
): Promise<{ rows: number; seconds: number; rowsPerSecond: number }> {
  const vehicles = Math.max(3, Math.ceil((rows / (ROWS_PER_VEHICLE_DAY * BENCH_DAYS * BENCH_DRIVES_PER_DAY)) * 1.5));
  const result = await generateFleet(
    seedOptions({
      out: dir,
      vehicles,
      days: BENCH_DAYS,
      drivesPerDay: BENCH_DRIVES_PER_DAY,
      formats: ['csv'],
      maxRows: rows,
    }),
  );
  return { rows: result.rows, seconds: result.seconds, rowsPerSecond: result.rowsPerSecond };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const rows = Number(process.argv[2] ?? 10_000_000);
  const dir = process.argv[3] ?? path.join(os.tmpdir(), `avlog-bench-seed-${process.pid}`);
  const r = await benchSeed(rows, dir);
  console.log(
    `seed generator: ${r.rows.toLocaleString('en')} rows in ${r.seconds.toFixed(1)} s = ${Math.round(r.rowsPerSecond).toLocaleString('en')} rows/s (CSV, ${dir})`,
  );
  if (process.argv[3] === undefined) rmSync(dir, { recursive: true, force: true });
}
