import path from 'node:path';
import { UsageError } from '../../core/usage-error.js';
import { backupState, restoreState, type BackupInfo } from '../../state/backup.js';
import { statePaths } from '../../state/paths.js';
import { StateDb } from '../../state/state-db.js';
import { dataDirOf, parseCommandArgs } from '../args.js';

const HELP = `usage: avlog state backup FILE [--data DIR] [--json]
       avlog state restore FILE [--data DIR] [--json]

The state database (<data>/state/avlog.duckdb: access tokens, the audit log, incident triage).
  backup FILE    copy it, consistent as of one moment, to FILE (a DuckDB database; replaced atomically)
  restore FILE   replace its contents with a backup's, in one transaction, after saving the current contents
                 to <data>/state/before-restore-<time>.duckdb; the backup's schema is brought up to date
A running server holds the database: stop it before a restore.`;

function describe(verb: string, info: BackupInfo, extra = ''): string {
  return `${verb} ${info.file} (${info.bytes.toLocaleString('en-US')} bytes, migrations: ${info.migrations.join(', ') || 'none'})${extra}\n`;
}

export async function stateCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, {
    data: { type: 'string' },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  const [action, file, ...rest] = positionals;
  if ((action !== 'backup' && action !== 'restore') || file === undefined || rest.length)
    throw new UsageError('give `backup FILE` or `restore FILE`');
  const dataDir = dataDirOf(values.data);
  const db = await StateDb.open(dataDir);
  try {
    if (action === 'backup') {
      const info = await backupState(db, file);
      process.stdout.write(
        values.json ? `${JSON.stringify(info)}\n` : describe('backed up the state database to', info),
      );
      return 0;
    }
    const stamp = new Date().toISOString().replaceAll(/[:.]/gu, '-');
    const saved = await backupState(db, path.join(statePaths(dataDir).dir, `before-restore-${stamp}.duckdb`));
    const info = await restoreState(db, file);
    process.stdout.write(
      values.json
        ? `${JSON.stringify({ ...info, previous: saved.file })}\n`
        : describe('restored the state database from', info, `; its previous contents are in ${saved.file}`),
    );
    return 0;
  } finally {
    await db.close();
  }
}
