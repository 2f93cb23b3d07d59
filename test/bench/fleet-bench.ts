import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateFleet } from '../../seeds/generate.js';
import { seedOptions } from '../../seeds/options.js';
import { AVLOG_BIN } from '../helpers/cli.js';
import { fmt, printTable, timeCommand, timeDuckdb } from './measure.js';

/** The default demo fleet as CSV, one telemetry and one events file per drive, cached across runs. */
async function fleetDir(): Promise<string> {
  const dir = path.join(os.tmpdir(), 'avlog-bench', 'fleet-csv');
  if (!fs.existsSync(path.join(dir, 'manifest.json'))) {
    fs.rmSync(dir, { recursive: true, force: true });
    process.stdout.write(`generating the default demo fleet as CSV at ${dir} …\n`);
    await generateFleet(seedOptions({ out: dir, formats: ['csv'] }));
  }
  return dir;
}

/**
 * The common case: a fleet uploads many small per-drive files. avlog ingest of the whole folder against bare DuckDB
 * reading the same files with one glob COPY each for telemetry and events (no validation, derivation, detection,
 * identity or partitioning): the ceiling, and the fixed cost per source that separates avlog from it.
 */
export async function benchFleet(): Promise<void> {
  const dir = await fleetDir();
  const files = fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.csv'));
  const eventFiles = files.filter((f) => f.endsWith('.events.csv')).length;
  const bytes = files.reduce((sum, f) => sum + fs.statSync(path.join(dir, f)).size, 0);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'avlog-bench-fleet-'));
  try {
    const glob = (pattern: string) => `read_csv('${path.join(dir, '*', '*', '*', pattern)}', union_by_name = true)`;
    const baseline =
      (await timeDuckdb(
        `COPY (FROM ${glob('*Z.csv')}) TO '${path.join(work, 'telemetry.parquet')}' (FORMAT parquet, COMPRESSION zstd)`,
      )) +
      (await timeDuckdb(
        `COPY (FROM ${glob('*.events.csv')}) TO '${path.join(work, 'events.parquet')}' (FORMAT parquet, COMPRESSION zstd)`,
      ));
    const run = await timeCommand(process.execPath, [
      AVLOG_BIN,
      'ingest',
      '--json',
      '--data',
      path.join(work, 'data'),
      dir,
    ]);
    if (run.code !== 0) throw new Error(`avlog ingest failed: ${run.stderr.slice(0, 2000)}`);
    const summary = JSON.parse(run.stdout) as { rows_stored: number; peak_rss_mb: number };
    const perFile = (run.seconds - baseline) / files.length;
    printTable(
      `ingest, many small files: the default demo fleet, ${fmt(files.length)} CSV files (${fmt(eventFiles)} events), ${fmt(bytes / 2 ** 20)} MiB`,
      [
        ['bare DuckDB, one glob COPY each for telemetry and events', `${fmt(baseline, 2)} s`],
        [
          'avlog ingest of the folder (process wall, incl. start-up)',
          `${fmt(run.seconds, 2)} s  ${fmt(summary.rows_stored / run.seconds)} rows/s stored`,
        ],
        ['ratio DuckDB / avlog (time)', fmt(baseline / run.seconds, 2)],
        ['avlog cost beyond DuckDB per file', `${fmt(perFile * 1000)} ms`],
        ['avlog ingest peak RSS', `${fmt(summary.peak_rss_mb)} MB`],
      ],
    );
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}
