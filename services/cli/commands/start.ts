import path from 'node:path';
import { generateFleet, seedOptions } from '../../../seeds/index.js';
import { ingestPaths } from '../../ingest/ingest.js';
import { roadsFor } from '../roads.js';
import { Catalog } from '../../ingest/lake/catalog.js';
import { lakePaths } from '../../ingest/lake/paths.js';
import { dataDirOf, parseCommandArgs } from '../args.js';
import { progressBar } from '../progress.js';
import { formatSummary } from '../summary-table.js';
import { portOf, runServer } from './serve.js';

/** `npm start`: on an empty lake, seed the demo fleet and ingest it; then serve the API and web app. */
export async function startCommand(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs(argv, { data: { type: 'string' }, port: { type: 'string' }, host: { type: 'string' }, 'no-serve': { type: 'boolean' } }, false);
  const dataDir = dataDirOf(values.data);
  const catalog = new Catalog(lakePaths(dataDir));
  if (!catalog.list().some((e) => e.status === 'ingested')) {
    const options = seedOptions({ data: dataDir, out: path.join(dataDir, 'seed-logs') });
    process.stdout.write(`empty lake at ${path.resolve(dataDir)}: seeding the demo fleet (seed ${options.seed}, ${options.days} days) …\n`);
    const seeded = await generateFleet(options);
    process.stdout.write(`generated ${seeded.files.length} files, ${seeded.rows.toLocaleString('en-US')} rows in ${seeded.seconds.toFixed(1)} s\n`);
    const bar = progressBar(process.stderr.isTTY === true);
    const summary = await ingestPaths([options.out], { dataDir, roads: roadsFor(options.roads) }, (p) => bar.update(p));
    bar.stop();
    process.stdout.write(`${formatSummary(summary)}\n`);
    if (summary.failed > 0) return 1;
  }
  const entries = catalog.list().filter((e) => e.status === 'ingested');
  const rows = entries.reduce((a, e) => a + e.rows_stored, 0);
  process.stdout.write(`lake ${path.resolve(dataDir, 'lake')}: ${entries.length} sources, ${rows.toLocaleString('en-US')} rows stored\n`);
  if (values['no-serve']) return 0;
  return runServer(dataDir, portOf(values.port), values.host ?? '127.0.0.1');
}
