import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { generateFleet, seedOptions } from '../../seeds/index.js';
import { LakeDb } from '../../services/lake/lake-db.js';
import { LakeRepository } from '../../services/lake/repository.js';
import { UNSCOPED } from '../../services/lake/scope.js';
import { RoadLimits } from '../../services/reference/roads/road-limits.js';
import { ingestPaths } from '../../services/ingest/ingest.js';
import { backfillRollups } from '../../services/ingest/lake/rollup-backfill.js';
import { findFleetReference } from '../../services/reference/fleet-reference.js';
import { buildReport, reportFromInputs } from '../../services/report/build.js';
import { fetchReportInputs } from '../../services/report/inputs.js';
import { parsePeriod } from '../../services/report/period.js';
import { resolveReportThresholds } from '../../services/report/thresholds.js';
import { renderHtml } from '../../services/report/render-html.js';
import { PdfPrinter } from '../../services/report/render-pdf.js';
import { fmt, printTable } from './measure.js';

/** The month the report bench reports on; the lake also holds the week before it, so month-over-month has data. */
export const BENCH_MONTH = '2026-09';
/** Telemetry rows a vehicle writes per day at 1.5 drives a day (10 Hz, ~25 min drives). */
const ROWS_PER_VEHICLE_DAY = 22_500;

/**
 * A demo-fleet lake whose report month (September 2026) holds about `rows` telemetry rows (a little more: the
 * fleet is sized, not cut), plus the last week of August; built once and cached under the OS temp folder (it takes
 * minutes). Its fleet.json sits at `<data>/seed-logs/fleet.json`, where reports find it. Returns the data dir.
 */
async function backfilled(dataDir: string): Promise<string> {
  const t = performance.now();
  const done = await backfillRollups(dataDir);
  if (done.sources)
    process.stdout.write(`rollup backfill: ${fmt(done.sources)} sources in ${fmt(performance.now() - t)} ms\n`);
  return dataDir;
}

export async function reportBenchLake(rows: number): Promise<string> {
  const root = path.join(os.tmpdir(), 'avlog-bench', `report-lake-${rows}`);
  // A lake cached before rollups were written at ingest gets them by the backfill (a no-op once it has them).
  if (fs.existsSync(path.join(root, 'READY'))) return backfilled(path.join(root, 'data'));
  fs.rmSync(root, { recursive: true, force: true });
  const vehicles = Math.max(3, Math.round(rows / (30 * ROWS_PER_VEHICLE_DAY)));
  process.stdout.write(
    `building a demo-fleet lake with a ${fmt(rows)}-row month (${vehicles} vehicles) at ${root} …\n`,
  );
  const options = seedOptions({
    out: path.join(root, 'logs'),
    companies: 3,
    vehicles,
    days: 37,
    start: '2026-08-25',
    drivesPerDay: 1.5,
    formats: ['csv'],
  });
  await generateFleet(options);
  await ingestPaths([options.out], { dataDir: path.join(root, 'data'), roads: RoadLimits.load({ kind: 'embedded' }) });
  fs.mkdirSync(path.join(root, 'data', 'seed-logs'), { recursive: true });
  fs.copyFileSync(path.join(options.out, 'fleet.json'), path.join(root, 'data', 'seed-logs', 'fleet.json'));
  fs.rmSync(options.out, { recursive: true, force: true });
  fs.writeFileSync(path.join(root, 'READY'), '');
  return path.join(root, 'data');
}

interface Timed {
  wall: number;
  cpu: number;
}

/** Median wall and CPU time (ms, this process and its DuckDB threads) of `runs` runs after a warm-up. */
async function time(fn: () => Promise<unknown>, runs = 3): Promise<Timed> {
  await fn();
  const out: Timed[] = [];
  for (let i = 0; i < runs; i++) {
    const c = process.cpuUsage();
    const t = performance.now();
    await fn();
    const u = process.cpuUsage(c);
    out.push({ wall: performance.now() - t, cpu: (u.user + u.system) / 1000 });
  }
  out.sort((a, b) => a.wall - b.wall);
  return out[Math.floor(out.length / 2)] as Timed;
}

const ms = (t: Timed) => `${fmt(t.wall)} ms (cpu ${fmt(t.cpu)} ms)`;

/**
 * The regulator's monthly report of a ~`rows`-row month (fleet-wide, and one company) against bare DuckDB over the
 * same Parquet files (fresh instance, 2 threads): (a) one exposure aggregate (company, vehicle, mode sums) — the
 * least any report reads; (b) the same single-pass grouping the report's telemetry query does, written bare.
 * Reports read the telemetry rollup and the API's in-memory copy of events and rollup (loaded when the lake is
 * opened: its time is shown); the fleet-wide report is also timed with the rollup off (a telemetry scan).
 * Then rendering: HTML, and the PDF through Chromium.
 */
export async function benchReport(rows: number): Promise<void> {
  const dataDir = await reportBenchLake(rows);
  const month = `${dataDir.split(path.sep).join('/')}/lake/telemetry/date=${BENCH_MONTH}-*/**/*.parquet`;
  const tel = `read_parquet('${month}', hive_partitioning = true)`;
  const bare = await DuckDBInstance.create(':memory:', { threads: '2' });
  const bc = await bare.connect();
  await bc.run("SET TimeZone = 'UTC'");
  const count = Number((await bc.runAndReadAll(`SELECT count(*) AS n FROM ${tel}`)).getRowObjectsJS()[0]?.n);
  const exposureSql = `SELECT company_id, vehicle_id, mode, count(*), sum(seg_m), sum(dt_s) FROM ${tel} GROUP BY ALL`;
  const detailSql = `SELECT drive_id, b, mode, district, ads_version, g IS NOT NULL, any_value(company), any_value(vehicle_id), count(*), sum(seg_m), sum(dt_s),
      sum(CASE WHEN speed_limit_mps > 0 THEN seg_m END), sum(CASE WHEN speed_mps > speed_limit_mps * 1.1 THEN seg_m END),
      max(CASE WHEN speed_limit_mps > 0 THEN speed_mps / speed_limit_mps END), min(ts), max(ts), avg(lon), avg(lat)
    FROM (SELECT *, epoch_us(ts) // 60000000 AS b, CASE WHEN dt_s > 1 THEN epoch_us(ts) END AS g FROM ${tel})
    GROUP BY drive_id, b, mode, district, ads_version, g`;
  const bareExposure = await time(async () => (await bc.runAndReadAll(exposureSql)).getRowObjectsJS());
  const bareDetail = await time(async () => (await bc.runAndReadAll(detailSql)).getRowObjectsJS());

  // Opening loads the in-memory copy of events and rollup: from their files the first time (cache removed here),
  // then from the copy the previous process saved.
  const openTimed = async () => {
    const t = performance.now();
    const lake = await LakeDb.open(dataDir, { threads: 2 });
    return { lake, ms: performance.now() - t };
  };
  fs.rmSync(path.join(dataDir, 'cache'), { recursive: true, force: true });
  const cold = await openTimed();
  await cold.lake.close();
  const { lake: db, ms: openMs } = await openTimed();
  const repo = new LakeRepository(db);
  const company = String(
    (
      await repo.query(
        UNSCOPED,
        `SELECT company_id FROM telemetry WHERE date >= '${BENCH_MONTH}-01' GROUP BY 1 ORDER BY count(*) DESC LIMIT 1`,
      )
    )[0]?.company_id,
  );
  let model = await buildReport(repo, UNSCOPED, { company: 'all', period: BENCH_MONTH });
  const fleet = await time(
    async () => (model = await buildReport(repo, UNSCOPED, { company: 'all', period: BENCH_MONTH })),
  );
  const one = await time(() => buildReport(repo, UNSCOPED, { company, period: BENCH_MONTH }));
  const scanOptions = {
    company: 'all',
    period: parsePeriod(BENCH_MONTH),
    thresholds: resolveReportThresholds(),
    fleet: findFleetReference(dataDir),
    rollup: false,
  };
  const scan = await time(
    async () => reportFromInputs(await fetchReportInputs(repo, UNSCOPED, scanOptions), new Date().toISOString()),
    1,
  );
  const html = await time(async () => renderHtml(model, { lang: 'zh' }));
  const printer = new PdfPrinter();
  let pdfBytes = 0;
  const pdf = await time(async () => (pdfBytes = (await printer.print(renderHtml(model, { lang: 'en' }))).length), 1);
  await printer.close();
  const parts = Object.entries(model.timings)
    .filter(([k]) => k !== 'queries')
    .map(([k, v]) => `${k} ${fmt(v)}`)
    .join(', ');
  printTable(`monthly report: ${BENCH_MONTH}, ${fmt(count)} telemetry rows in the month`, [
    ['bare DuckDB: exposure aggregate', ms(bareExposure)],
    ['bare DuckDB: the report’s grouping', ms(bareDetail)],
    [
      'open the lake (views, in-memory copy of events and rollup)',
      `${fmt(openMs)} ms from the saved copy; ${fmt(cold.ms)} ms from the files (first open)`,
    ],
    [
      'report, fleet-wide (all companies)',
      `${ms(fleet)} — ${fmt(fleet.wall / bareExposure.wall, 2)}× the exposure aggregate, ${fmt(fleet.wall / bareDetail.wall, 2)}× the same grouping`,
    ],
    ['  of which (ms)', parts],
    [
      `report, one company (${company})`,
      `${ms(one)} — ${fmt(one.wall / bareExposure.wall, 2)}× the exposure aggregate`,
    ],
    [
      'report, fleet-wide, rollup off (telemetry scan)',
      `${ms(scan)} — ${fmt(scan.wall / bareExposure.wall, 2)}× the exposure aggregate`,
    ],
    ['render HTML', `${ms(html)}, ${fmt(renderHtml(model, { lang: 'zh' }).length / 1024)} KiB`],
    ['render PDF (Chromium print)', `${ms(pdf)}, ${fmt(pdfBytes / 1024)} KiB`],
  ]);
  await db.close();
  bc.closeSync();
  bare.closeSync();
}
