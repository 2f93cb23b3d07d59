import { backfillRollups } from '../../ingest/lake/rollup-backfill.js';
import { dataDirOf, parseCommandArgs } from '../args.js';

const HELP = `avlog rollup [--data DIR] [--rebuild] [--json]

Writes the per-minute telemetry rollup that reports and exposure metrics read, for every ingested source that has
none (a lake written before rollups existed); --rebuild rewrites every source's rollup. Each source is one atomic
commit; running it again changes nothing. Sources without a rollup are still answered, by scanning their telemetry.`;

export async function rollupCommand(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs(
    argv,
    {
      data: { type: 'string' },
      rebuild: { type: 'boolean' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    false,
  );
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  const started = performance.now();
  const r = await backfillRollups(dataDirOf(values.data), {
    rebuild: values.rebuild === true,
    onWait: (m) => process.stderr.write(`avlog rollup: ${m}\n`),
  });
  const seconds = (performance.now() - started) / 1000;
  if (values.json) process.stdout.write(`${JSON.stringify({ ...r, seconds })}\n`);
  else
    process.stdout.write(`rollup: ${r.sources} source(s) given ${r.files} rollup file(s) in ${seconds.toFixed(1)} s\n`);
  return 0;
}
