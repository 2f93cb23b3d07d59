import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { benchSeed } from '../../seeds/bench.js';
import { benchApi } from './api-bench.js';
import { benchFleet } from './fleet-bench.js';
import { benchIngest } from './ingest-bench.js';
import { benchDedupe } from './dedupe-bench.js';
import { benchMap } from './map-bench.js';
import { benchMcap } from './mcap-bench.js';
import { benchReport } from './report-bench.js';
import { fmt, printTable } from './measure.js';

/** `npm run bench`: figures and ratios against baselines run in the same process. AVLOG_BENCH_ROWS scales it. */
const rows = Number(process.env.AVLOG_BENCH_ROWS ?? 10_000_000);
process.stdout.write(
  `avlog bench — ${new Date().toISOString()} — ${rows.toLocaleString('en-US')} rows — ${os.cpus().length} cores, load ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}\n`,
);
await benchIngest(rows);
await benchFleet();
await benchMcap();
await benchDedupe(rows, Math.round(rows / 10));

const seedDir = fs.mkdtempSync(path.join(os.tmpdir(), 'avlog-bench-seed-'));
try {
  const seeded = await benchSeed(rows, seedDir);
  printTable(`demo-fleet generator: ${fmt(seeded.rows)} rows (CSV)`, [
    ['generation', `${fmt(seeded.seconds, 2)} s  ${fmt(seeded.rowsPerSecond)} rows/s`],
  ]);
} finally {
  fs.rmSync(seedDir, { recursive: true, force: true });
}

await benchApi(rows);

await benchReport(rows);
await benchMap(Number(process.env.AVLOG_BENCH_MAP_POINTS ?? 1_000_000));
