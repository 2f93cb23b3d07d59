import { UsageError } from '../../core/usage-error.js';
import { runSqlCommand, SQL_COMMAND_HELP } from '../../lake/sql/index.js';
import { dataDirOf, oneOf, parseCommandArgs } from '../args.js';

export async function sqlCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, {
    data: { type: 'string' },
    format: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    process.stdout.write(`${SQL_COMMAND_HELP}\n`);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError('give exactly one SQL statement, quoted');
  const r = await runSqlCommand(
    dataDirOf(values.data),
    positionals[0] as string,
    oneOf('--format', values.format, ['json', 'csv'] as const) ?? 'json',
  );
  process.stdout.write(r.stdout);
  process.stderr.write(r.stderr);
  return r.code;
}
