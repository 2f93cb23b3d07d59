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
import { tokenCommand } from './commands/token.js';
import { auditCommand } from './commands/audit.js';
import fs from 'node:fs';
import { StateError } from '../state/errors.js';
import { closest } from '../core/closest.js';

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
    help: 'serve [--data DIR] [--port N] [--host H] [--auth none|tokens|oidc|proxy] [--districts FILE] [--tiles URL [--tiles-crs wgs84|gcj02]]',
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
  token: {
    run: tokenCommand,
    help: 'token create --role admin|engineer|regulator|public [--company ID] [--expires DAYS] | list | revoke ID   bearer tokens for --auth tokens',
  },
  audit: {
    run: auditCommand,
    help: 'audit [--since T] [--caller ID] [--json]   the audit log of API calls',
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

  avlog --version

Run \`avlog <command> --help\` for a command's options; AVLOG_DEBUG=1 shows the stack of an error.`;

/** avlog's version, from its package.json. */
export function avlogVersion(): string {
  const pkg = JSON.parse(fs.readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version?: unknown;
  };
  return typeof pkg.version === 'string' ? pkg.version : 'unknown';
}

/** A failure as one or two lines: what went wrong, and the fix where one is known. The stack only with AVLOG_DEBUG=1. */
function failure(name: string, e: unknown): string {
  if (process.env.AVLOG_DEBUG === '1' && e instanceof Error && e.stack) return `avlog ${name}: ${e.stack}\n`;
  const err = e instanceof Error ? (e as NodeJS.ErrnoException & { port?: number; address?: string }) : null;
  if (err?.code === 'EADDRINUSE')
    return `avlog ${name}: port ${err.port ?? ''} on ${err.address ?? 'this host'} is already in use (another avlog serve?)\n  fix: stop that process, or choose another port with --port N\n`;
  if (err?.code === 'EACCES' && err.syscall === 'listen')
    return `avlog ${name}: not allowed to listen on port ${err.port ?? ''}\n  fix: use a port above 1023 with --port N\n`;
  const message = (e instanceof Error ? e.message : String(e)).split('\n')[0] ?? '';
  return `avlog ${name}: ${message}\n  (AVLOG_DEBUG=1 shows the stack)\n`;
}

/** Runs one CLI command; returns the process exit code (0 ok, 1 some input failed, 2 usage error). */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return name ? 0 : 2;
  }
  if (name === '--version' || name === '-V' || name === 'version') {
    process.stdout.write(`avlog ${avlogVersion()}\n`);
    return 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    const guess = closest(name, Object.keys(COMMANDS));
    process.stderr.write(
      `avlog: unknown command "${name}"${guess ? ` — did you mean "${guess}"?` : ''}\n` +
        `Run \`avlog --help\` for the commands.\n`,
    );
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
    process.stderr.write(failure(name, e));
    return 1;
  }
}
