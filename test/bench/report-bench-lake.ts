import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateFleet, seedOptions } from '../../seeds/index.js';
import { RoadLimits } from '../../services/ingest/geo/road-limits.js';
import { ingestPaths } from '../../services/ingest/ingest.js';
import { fmt } from './measure.js';

/** The month the report bench reports on; the lake also holds the week before it, so month-over-month has data. */
export const BENCH_MONTH = '2026-09';
/** Telemetry rows a vehicle writes per day at 1.5 drives a day (10 Hz, ~25 min drives). */
const ROWS_PER_VEHICLE_DAY = 22_500;

/**
 * A demo-fleet lake whose report month (September 2026) holds about `rows` telemetry rows, plus the last week of
 * August; built once and cached under the OS temp folder (it takes minutes). Returns the data dir.
 */
export async function reportBenchLake(rows: number): Promise<string> {
  const root = path.join(os.tmpdir(), 'avlog-bench', `report-lake-${rows}`);
  if (fs.existsSync(path.join(root, 'READY'))) return path.join(root, 'data');
  fs.rmSync(root, { recursive: true, force: true });
  const vehicles = Math.max(3, Math.round(rows / (30 * ROWS_PER_VEHICLE_DAY)));
  process.stdout.write(`building a demo-fleet lake with a ${fmt(rows)}-row month (${vehicles} vehicles) at ${root} …\n`);
  const options = seedOptions({ out: path.join(root, 'logs'), companies: 3, vehicles, days: 37, start: '2026-08-25', drivesPerDay: 1.5, formats: ['csv'] });
  await generateFleet(options);
  await ingestPaths([options.out], { dataDir: path.join(root, 'data'), roads: RoadLimits.load({ kind: 'embedded' }) });
  fs.mkdirSync(path.join(root, 'data', 'seed-logs'), { recursive: true });
  fs.copyFileSync(path.join(options.out, 'fleet.json'), path.join(root, 'data', 'seed-logs', 'fleet.json'));
  fs.rmSync(options.out, { recursive: true, force: true });
  fs.writeFileSync(path.join(root, 'READY'), '');
  return path.join(root, 'data');
}
