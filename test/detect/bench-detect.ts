/**
 * Measures event detection on a large source: `npx tsx test/detect/bench-detect.ts FILE [--roads]`.
 *
 * 1. Ingests FILE into a temporary lake and times the whole ingest; detection runs inside it between the last
 *    'reading' and the 'committing' progress report, so that gap is detection's share (plus the quarantine copy,
 *    nothing for a clean file).
 * 2. Runs detectEvents alone over the committed telemetry on a DuckDB configured like the ingest's (1 thread,
 *    512 MB), timing each statement's wall and CPU time: on a busy machine CPU time is the steadier figure.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { detectEvents } from '../../services/ingest/detect/detect-events.js';
import type { SqlRunner } from '../../services/ingest/lake/sql.js';
import { RoadLimits } from '../../services/reference/roads/road-limits.js';
import { ingestPaths } from '../../services/ingest/ingest.js';

const file = process.argv[2];
if (file === undefined) throw new Error('usage: bench-detect.ts FILE [--roads]');
const roads = process.argv.includes('--roads') ? RoadLimits.load({ kind: 'embedded' }) : null;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'avlog-detect-bench-'));
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

try {
  const data = path.join(dir, 'data');
  let lastReading = 0;
  let committing = 0;
  const t0 = performance.now();
  const c0 = cpu();
  const summary = await ingestPaths([file], { dataDir: data, roads }, (p) => {
    if (p.phase === 'reading') lastReading = performance.now();
    if (p.phase === 'committing' && committing === 0) committing = performance.now();
  });
  const ingestS = (performance.now() - t0) / 1000;
  const ingestCpu = cpu() - c0;
  const f = summary.files[0];
  console.log(
    JSON.stringify({
      file: path.basename(file),
      rows: summary.rows_stored,
      events_detected: f?.events_detected,
      status: f?.status,
      ingest_s: +ingestS.toFixed(2),
      ingest_cpu_s: +ingestCpu.toFixed(2),
      detect_share_s: +((committing - lastReading) / 1000).toFixed(2),
      peak_rss_mb: summary.peak_rss_mb,
    }),
  );

  const instance = await DuckDBInstance.create(':memory:', {
    memory_limit: '512MB',
    threads: '1',
    temp_directory: path.join(dir, 'tmp'),
  });
  const connection = await instance.connect();
  await connection.run("SET TimeZone = 'UTC'");
  const steps: { sql: string; s: number; cpu_s: number }[] = [];
  const db: SqlRunner = {
    run: async (sql) => {
      const w = performance.now();
      const c = cpu();
      const r = await connection.run(sql);
      steps.push({
        sql: sql.replace(/\s+/gu, ' ').slice(0, 50),
        s: +((performance.now() - w) / 1000).toFixed(2),
        cpu_s: +(cpu() - c).toFixed(2),
      });
      return r;
    },
    rows: async (sql) => (await connection.runAndReadAll(sql)).getRowObjectsJS() as Record<string, unknown>[],
  };
  const w = performance.now();
  const c = cpu();
  const n = await detectEvents(db, {
    telemetryDir: path.join(data, 'lake', 'telemetry'),
    eventsDir: path.join(dir, 'events'),
    sourceId: 'bench',
  });
  console.log(
    JSON.stringify({
      detect_alone_s: +((performance.now() - w) / 1000).toFixed(2),
      detect_alone_cpu_s: +(cpu() - c).toFixed(2),
      events: n,
    }),
  );
  for (const s of steps.filter((x) => x.s >= 0.05))
    console.log(`  ${String(s.s).padStart(6)} s  cpu ${String(s.cpu_s).padStart(6)} s  ${s.sql}`);
  connection.closeSync();
  instance.closeSync();
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
