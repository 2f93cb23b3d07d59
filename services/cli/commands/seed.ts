import { generateFleet, parseSeedArgs } from '../../../seeds/index.js';
import { UsageError } from '../../core/usage-error.js';
import { ingestPaths } from '../../ingest/ingest.js';
import { roadsFor } from '../roads.js';
import { progressBar } from '../progress.js';
import { formatSummary } from '../summary-table.js';

const HELP = `usage: avlog seed [--data DIR] [--out DIR] [--seed N] [--companies N] [--vehicles N] [--days N] [--hz N]
                  [--start YYYY-MM-DD] [--formats csv,gbk,jsonl,arrow,gcj02,mcap,bag] [--roads FILE.graphml] [--trips FILE.csv]
                  [--gps-noise M] [--json]

Generates a deterministic synthetic Shenzhen road-test fleet: raw logs as vehicles would upload them, one file per
vehicle-drive, with manifest.json (ground truth of every injected event) and fleet.json. With --data, ingests them.`;

export async function seedCommand(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  const json = argv.includes('--json');
  let options;
  try {
    options = parseSeedArgs(argv.filter((a) => a !== '--json'));
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const result = await generateFleet(options);
  const generated = {
    out: options.out,
    files: result.files.length,
    rows: result.rows,
    events: result.events,
    seconds: result.seconds,
    rows_per_second: Math.round(result.rowsPerSecond),
  };
  if (!json)
    process.stdout.write(
      `generated ${result.files.length} files, ${result.rows.toLocaleString('en-US')} telemetry rows, ${result.events} events in ${result.seconds.toFixed(1)} s (${Math.round(result.rowsPerSecond).toLocaleString('en-US')} rows/s) → ${options.out}\n`,
    );
  if (options.data === null) {
    if (json) process.stdout.write(`${JSON.stringify({ generated })}\n`);
    return 0;
  }
  const bar = progressBar(!json && process.stderr.isTTY === true);
  const summary = await ingestPaths([options.out], { dataDir: options.data, roads: roadsFor(options.roads) }, (p) =>
    bar.update(p),
  );
  bar.stop();
  process.stdout.write(json ? `${JSON.stringify({ generated, ingest: summary })}\n` : `${formatSummary(summary)}\n`);
  return summary.failed + summary.empty > 0 ? 1 : 0;
}
