import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { generateFleet, seedOptions } from '../../seeds/index.js';
import { LakeDb } from '../../services/lake/lake-db.js';
import { LakeRepository } from '../../services/lake/repository.js';
import { UNSCOPED } from '../../services/lake/scope.js';
import { searchIncidents } from '../../services/lake/incidents/search.js';
import { disengagements } from '../../services/lake/metrics/disengagements.js';
import { eventCounts } from '../../services/lake/metrics/event-counts.js';
import { exposure } from '../../services/lake/metrics/exposure.js';
import { RoadLimits } from '../../services/reference/roads/road-limits.js';
import { ingestPaths } from '../../services/ingest/ingest.js';
import { fmt, printTable } from './measure.js';

/** A demo-fleet lake of about `rows` telemetry rows, built once and cached (it takes minutes). */
export async function benchLake(rows: number): Promise<string> {
  const root = path.join(os.tmpdir(), 'avlog-bench', `lake-${rows}`);
  if (fs.existsSync(path.join(root, 'READY'))) return path.join(root, 'data');
  fs.rmSync(root, { recursive: true, force: true });
  const vehicles = Math.max(5, Math.round(rows / 150_000));
  process.stdout.write(`building a ${fmt(rows)}-row demo-fleet lake (${vehicles} vehicles) at ${root} …\n`);
  const options = seedOptions({
    out: path.join(root, 'logs'),
    companies: 5,
    vehicles,
    days: 61,
    maxRows: rows,
    drivesPerDay: 0.2,
  });
  await generateFleet(options);
  await ingestPaths([options.out], { dataDir: path.join(root, 'data'), roads: RoadLimits.load({ kind: 'embedded' }) });
  fs.rmSync(options.out, { recursive: true, force: true });
  fs.writeFileSync(path.join(root, 'READY'), '');
  return path.join(root, 'data');
}

async function time<T>(fn: () => Promise<T>, runs = 3): Promise<number> {
  await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)] as number;
}

/**
 * Each metric through avlog's repository against a hand-written DuckDB query over the same Parquet files
 * (fresh instance, same thread count), and incident search latency percentiles.
 */
export async function benchApi(rows: number): Promise<void> {
  const dataDir = await benchLake(rows);
  const tel = `read_parquet('${path.join(dataDir, 'lake/telemetry/**/*.parquet')}', hive_partitioning = true)`;
  const ev = `read_parquet('${path.join(dataDir, 'lake/events/**/*.parquet')}', hive_partitioning = true)`;
  const bare = await DuckDBInstance.create(':memory:', { threads: '2' });
  const bc = await bare.connect();
  const count = Number((await bc.runAndReadAll(`SELECT count(*) AS n FROM ${tel}`)).getRowObjectsJS()[0]?.n);
  const db = await LakeDb.open(dataDir, { threads: 2 });
  const repo = new LakeRepository(db);
  const rowsOut: [string, string][] = [[`lake`, `${fmt(count)} telemetry rows`]];
  // Hand-written equivalents: same semantics (detected disengagements a logged exit explains are dropped; rates
  // divide by km from telemetry), one statement each, straight over the files.
  const reconciled = `SELECT * FROM ${ev} d WHERE NOT (d.origin = 'detected' AND d.kind = 'disengagement' AND EXISTS (
      SELECT 1 FROM ${ev} p WHERE p.origin = 'logged' AND p.kind IN ('disengagement', 'ads_deactivated', 'odd_exit')
      AND p.vehicle_id = d.vehicle_id AND p.ts BETWEEN d.ts - INTERVAL 2 SECOND AND d.ts + INTERVAL 2 SECOND))`;
  const cases: [string, () => Promise<unknown>, string][] = [
    [
      'exposure by company, month',
      () => exposure(repo, UNSCOPED, ['company', 'month'], {}),
      `SELECT company_id, strftime(local_date, '%Y-%m') AS m, mode, sum(seg_m) / 1000, sum(dt_s) / 3600 FROM ${tel} GROUP BY ALL`,
    ],
    [
      'disengagements by company',
      () => disengagements(repo, UNSCOPED, ['company'], {}),
      `WITH km AS (SELECT company_id, sum(seg_m) FILTER (WHERE mode = 'autonomous') / 1000 AS km FROM ${tel} GROUP BY ALL),
        d AS (SELECT company_id, initiator, cause, count(*) AS n FROM (${reconciled}) WHERE kind = 'disengagement' GROUP BY ALL)
       SELECT * FROM d FULL JOIN km USING (company_id)`,
    ],
    [
      'events by kind and severity',
      () => eventCounts(repo, UNSCOPED, [], {}),
      `SELECT kind, severity, count(*), (SELECT sum(seg_m) / 1000 FROM ${tel}) FROM (${reconciled}) WHERE kind NOT IN ('ads_activated', 'ads_deactivated', 'mrm_ended') GROUP BY ALL`,
    ],
    [
      'collisions by month',
      () => eventCounts(repo, UNSCOPED, ['month'], {}, ['collision']),
      `WITH km AS (SELECT strftime(local_date, '%Y-%m') AS m, sum(seg_m) / 1000 AS km FROM ${tel} GROUP BY ALL),
        c AS (SELECT strftime(local_date, '%Y-%m') AS m, severity, count(*) AS n FROM ${ev} WHERE kind = 'collision' GROUP BY ALL)
       SELECT * FROM km LEFT JOIN c USING (m)`,
    ],
  ];
  for (const [name, ours, sql] of cases) {
    const baseline = await time(() => bc.run(sql));
    const mine = await time(ours);
    rowsOut.push([
      name,
      `avlog ${fmt(mine, 1)} ms, bare DuckDB ${fmt(baseline, 1)} ms, ratio ${fmt(mine / baseline, 2)}×`,
    ]);
  }
  const latencies: number[] = [];
  const queries = [
    {},
    { kind: ['harsh_brake'] },
    { kind: ['disengagement'], sort: '-ts' as const },
    { severity: ['high', 'serious'] },
    { speed_min: 10 },
    { bbox: [114.0, 22.5, 114.1, 22.56] as [number, number, number, number] },
    { from: '2026-10-01T00:00:00Z', to: '2026-10-15T00:00:00Z' },
    { mode: ['manual'] },
  ];
  for (let i = 0; i < 40; i++) {
    const q = queries[i % queries.length] ?? {};
    const t = performance.now();
    await searchIncidents(repo, UNSCOPED, { sort: '-ts', limit: 50, ...q });
    latencies.push(performance.now() - t);
  }
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] as number;
  rowsOut.push(['incident search (40 queries, 8 shapes)', `p50 ${fmt(pct(0.5), 1)} ms, p99 ${fmt(pct(0.99), 1)} ms`]);
  printTable('query API', rowsOut);
  await db.close();
  bc.closeSync();
  bare.closeSync();
}
