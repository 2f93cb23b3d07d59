import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AVLOG_BIN } from '../helpers/cli.js';
import { fmt, printTable, timeCommand, timeDuckdb } from './measure.js';
import { writeBenchCsv } from './telemetry-csv.js';

/** A cached synthetic telemetry CSV of `rows` rows (generation is slow; the file is reused across runs). */
export function benchCsv(rows: number): string {
  const dir = path.join(os.tmpdir(), 'avlog-bench');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `telemetry-${rows}.csv`);
  if (!fs.existsSync(file)) {
    process.stdout.write(`generating ${fmt(rows)}-row CSV at ${file} …\n`);
    writeBenchCsv(`${file}.tmp`, rows, Math.max(1, Math.round(rows / 200_000)));
    fs.renameSync(`${file}.tmp`, file);
  }
  return file;
}

/**
 * avlog ingest against bare DuckDB on the same file in the same run: DuckDB's CSV → zstd Parquet COPY is the
 * ceiling (no validation, no derivation, no partitioning).
 */
export async function benchIngest(rows: number): Promise<void> {
  const csv = benchCsv(rows);
  const size = fs.statSync(csv).size;
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'avlog-bench-run-'));
  try {
    const baseline = await timeDuckdb(
      `COPY (FROM read_csv('${csv}')) TO '${path.join(work, 'baseline.parquet')}' (FORMAT parquet, COMPRESSION zstd)`,
    );
    const run = await timeCommand(process.execPath, [
      AVLOG_BIN,
      'ingest',
      '--json',
      '--data',
      path.join(work, 'data'),
      csv,
    ]);
    if (run.code !== 0) throw new Error(`avlog ingest failed: ${run.stderr}`);
    const summary = JSON.parse(run.stdout) as { rows_stored: number; seconds: number; peak_rss_mb: number };
    if (summary.rows_stored !== rows) throw new Error(`ingest stored ${summary.rows_stored} of ${rows} rows`);
    const duckRate = rows / baseline;
    const ingestRate = rows / run.seconds;
    printTable(`ingest: ${fmt(rows)} rows, ${fmt(size / 2 ** 20)} MiB CSV`, [
      ['bare DuckDB COPY read_csv → zstd Parquet', `${fmt(baseline, 2)} s  ${fmt(duckRate)} rows/s`],
      [
        'avlog ingest (process wall, incl. start-up)',
        `${fmt(run.seconds, 2)} s  ${fmt(ingestRate)} rows/s  (${fmt(size / 2 ** 20 / run.seconds, 1)} MiB/s)`,
      ],
      ['ratio avlog / DuckDB', fmt(ingestRate / duckRate, 2)],
      ['avlog ingest peak RSS', `${fmt(summary.peak_rss_mb)} MB`],
    ]);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}
