import { UsageError } from '../../core/usage-error.js';
import { AuditLog, type AuditEntry } from '../../state/audit.js';
import { StateDb } from '../../state/state-db.js';
import { dataDirOf, parseCommandArgs, positiveNumber } from '../args.js';

const HELP = `usage: avlog audit [--since DATE|INSTANT] [--caller ID] [--limit N] [--json] [--data DIR]

The audit log of authenticated API calls, newest first: who (token:<id>, oidc:<sub>, proxy:<user>), role,
company, route, parameters, status, rows, SQL text. A running server holds the state database: stop it, or use
GET /api/audit with an admin token.`;

const line = (e: AuditEntry) =>
  `${e.at}  ${e.caller} (${e.role}${e.company ? ` ${e.company}` : ''})  ${e.method} ${e.route} ${e.params} → ${e.status}${e.rows === null ? '' : `, ${e.rows} rows`}${e.sql ? `\n    ${e.sql.replaceAll('\n', ' ')}` : ''}`;

export async function auditCommand(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs(
    argv,
    {
      data: { type: 'string' },
      since: { type: 'string' },
      caller: { type: 'string' },
      limit: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    false,
  );
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  if (values.since !== undefined && Number.isNaN(Date.parse(values.since)))
    throw new UsageError(`--since must be an ISO date or instant (got "${values.since}")`);
  const limit = positiveNumber('--limit', values.limit);
  const db = await StateDb.open(dataDirOf(values.data));
  try {
    const entries = await new AuditLog(db).list({ since: values.since, caller: values.caller, limit });
    process.stdout.write(
      values.json ? `${JSON.stringify(entries)}\n` : `${entries.map(line).join('\n') || 'no entries'}\n`,
    );
    return 0;
  } finally {
    await db.close();
  }
}
