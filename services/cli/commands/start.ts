import path from 'node:path';
import { generateFleet, seedOptions } from '../../../seeds/index.js';
import { ingestPaths } from '../../ingest/ingest.js';
import { roadsFor } from '../roads.js';
import { Catalog } from '../../ingest/lake/catalog.js';
import { lakePaths } from '../../ingest/lake/paths.js';
import { parseCommandArgs } from '../args.js';
import { progressBar } from '../progress.js';
import { formatSummary } from '../summary-table.js';
import { runServer, SERVER_ARGS, SERVER_HELP, serveOptionsOf } from './serve.js';

const HELP = `usage: avlog start [--no-serve] [--data DIR] [--port N] [--host H] [--districts FILE.geojson] [--tiles URL [--tiles-crs wgs84|gcj02]]

On an empty lake, seeds the demo fleet and ingests it; then serves the API and the map (what \`npm start\` runs).

  --no-serve               seed and ingest only
${SERVER_HELP}`;

/** `npm start`: on an empty lake, seed the demo fleet and ingest it; then serve the API and web app. */
export async function startCommand(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs(
    argv,
    { ...SERVER_ARGS, 'no-serve': { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    false,
  );
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  // flags are checked before the (long) seeding
  const options = serveOptionsOf(values);
  const dataDir = options.dataDir;
  const catalog = new Catalog(lakePaths(dataDir));
  if (!catalog.list().some((e) => e.status === 'ingested')) {
    const options = seedOptions({ data: dataDir, out: path.join(dataDir, 'seed-logs') });
    process.stdout.write(
      `empty lake at ${path.resolve(dataDir)}: seeding the demo fleet (seed ${options.seed}, ${options.days} days) …\n`,
    );
    const seeded = await generateFleet(options);
    process.stdout.write(
      `generated ${seeded.files.length} files, ${seeded.rows.toLocaleString('en-US')} rows in ${seeded.seconds.toFixed(1)} s\n`,
    );
    const bar = progressBar(process.stderr.isTTY === true);
    const summary = await ingestPaths([options.out], { dataDir, roads: roadsFor(options.roads) }, (p) => bar.update(p));
    bar.stop();
    process.stdout.write(`${formatSummary(summary)}\n`);
    if (summary.failed + summary.empty > 0) return 1;
  }
  const entries = catalog.list().filter((e) => e.status === 'ingested');
  const rows = entries.reduce((a, e) => a + e.rows_stored, 0);
  process.stdout.write(
    `lake ${path.resolve(dataDir, 'lake')}: ${entries.length} sources, ${rows.toLocaleString('en-US')} rows stored\n`,
  );
  if (values['no-serve']) return 0;
  return runServer(options);
}
