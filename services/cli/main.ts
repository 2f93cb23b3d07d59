import { SourceError } from '../ingest/errors.js';
import { UsageError } from '../core/usage-error.js';
import { exportCommand } from './commands/export.js';
import { ingestCommand } from './commands/ingest.js';
import { metricsCommand } from './commands/metrics.js';
import { rollupCommand } from './commands/rollup.js';
import { seedCommand } from './commands/seed.js';
import { serveCommand } from './commands/serve.js';
import { sqlCommand } from './commands/sql.js';
import { startCommand } from './commands/start.js';
import { stateCommand } from './commands/state.js';
import { StateError } from '../state/errors.js';

const COMMANDS: Record<string, { run: (argv: string[]) => Promise<number>; help: string }> = {
  ingest: {
    run: ingestCommand,
    help: 'ingest [--data DIR] [--json] [--crs wgs84|gcj02|bd09] [--encoding utf-8|gbk|windows-1252] [--districts FILE] PATH…',
  },
  seed: {
    run: seedCommand,
    help: 'seed [--data DIR] [--out DIR] [--seed N] [--companies N] [--vehicles N] [--days N] [--hz N] …',
  },
  serve: {
    run: serveCommand,
    help: 'serve [--data DIR] [--port N] [--host H] [--districts FILE] [--tiles URL [--tiles-crs wgs84|gcj02]]',
  },
  sql: { run: sqlCommand, help: 'sql [--data DIR] [--format json|csv] "SELECT …"' },
  metrics: {
    run: metricsCommand,
    help: 'metrics <exposure|disengagements|events|collisions> [--group-by …] [--from T] [--to T] …',
  },
  export: {
    run: exportCommand,
    help: 'export ca-dmv --from YYYY-MM --to YYYY-MM --out DIR [--company IDS] [--fleet fleet.json]   CA DMV mileage + disengagement CSVs',
  },
  report: {
    run: async (argv) => (await import('./commands/report.js')).reportCommand(argv),
    help: 'report --company ID|all (--month YYYY-MM | --quarter YYYY-Qn | --from YYYY-MM --to YYYY-MM | --test) [--format html|pdf|csv|json] [--lang zh|en] [--out FILE]   regulator reports',
  },
  doctor: {
    run: async (argv) => (await import('./commands/doctor.js')).doctorCommand(argv),
    help: 'doctor [--data DIR] [--repair] [--json]   check the lake against the catalog (files, orphans, duplicate samples, staging); --repair fixes what it safely can',
  },
  rollup: {
    run: rollupCommand,
    help: 'rollup [--data DIR] [--rebuild] [--json]   write the telemetry rollup of sources ingested before rollups existed',
  },
  state: {
    run: stateCommand,
    help: 'state backup|restore FILE [--data DIR]   back up or restore the state database (tokens, audit, triage)',
  },
  start: {
    run: startCommand,
    help: 'start [--data DIR] [--port N] [--tiles URL …]   seed the demo fleet into an empty lake, then serve',
  },
};

const USAGE = `avlog — road-test logs to a Parquet lake, safety metrics and maps

usage: avlog <command> [options]

${Object.entries(COMMANDS)
  .map(([, c]) => `  avlog ${c.help}`)
  .join('\n')}

Run \`avlog <command> --help\` for a command's options.`;

/** Runs one CLI command; returns the process exit code (0 ok, 1 some input failed, 2 usage error). */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(`avlog: unknown command "${name}"\n\n${USAGE}\n`);
    return 2;
  }
  try {
    return await command.run(rest);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`avlog ${name}: ${e.message}\n`);
      return 2;
    }
    if (e instanceof SourceError || e instanceof StateError) {
      process.stderr.write(`avlog ${name}: ${e.message}\n`);
      return 1;
    }
    process.stderr.write(`avlog ${name}: ${(e as Error).stack ?? String(e)}\n`);
    return 1;
  }
}
