import fs from 'node:fs';
import path from 'node:path';
import { StateError } from './errors.js';
import { appliedMigrations } from './migrate.js';
import type { StateDb, StateSession } from './state-db.js';

/** What a backup holds: its file, size and the migrations its schema has. */
export interface BackupInfo {
  file: string;
  bytes: number;
  migrations: string[];
}

const sqlText = (s: string) => `'${s.replaceAll("'", "''")}'`;
const ident = (s: string) => `"${s.replaceAll('"', '""')}"`;

async function currentDatabase(s: StateSession): Promise<string> {
  return String((await s.all('SELECT current_database() AS name'))[0]?.name);
}

/**
 * Copies the whole state database, consistent as of one moment, into `file` — itself a DuckDB database, which
 * `restoreState` (or any DuckDB) reads. Written beside the target and renamed, so an existing backup is replaced
 * only by a complete one. Runs on the live database: other callers wait for the copy (the state is small).
 */
export async function backupState(db: StateDb, file: string): Promise<BackupInfo> {
  const target = path.resolve(file);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const temp = `${target}.tmp-${process.pid}`;
  fs.rmSync(temp, { force: true });
  const migrations = await db.session(async (s) => {
    await s.run(`ATTACH ${sqlText(temp)} AS avlog_backup`);
    try {
      await s.run(`COPY FROM DATABASE ${ident(await currentDatabase(s))} TO avlog_backup`);
      return await appliedMigrations(s, 'avlog_backup');
    } finally {
      await s.run('DETACH avlog_backup');
    }
  });
  fs.renameSync(temp, target);
  return { file: target, bytes: fs.statSync(target).size, migrations };
}

/** Every object of `database` that a restore replaces, dependants first. */
async function userObjects(s: StateSession, database: string): Promise<string[]> {
  const where = `database_name = ${sqlText(database)} AND NOT temporary`;
  const rows = await s.all(
    `SELECT 'VIEW' AS kind, schema_name, view_name AS name, 1 AS o FROM duckdb_views() WHERE ${where}
     AND NOT internal UNION ALL SELECT 'TABLE', schema_name, table_name, 2 FROM duckdb_tables() WHERE ${where}
     UNION ALL SELECT 'SEQUENCE', schema_name, sequence_name, 3 FROM duckdb_sequences() WHERE ${where}
     ORDER BY o, name`,
  );
  return rows.map((r) => `DROP ${String(r.kind)} ${ident(String(r.schema_name))}.${ident(String(r.name))}`);
}

/**
 * Replaces the state database's contents with the backup's, in one transaction (a failure leaves the database as
 * it was), then applies the migrations the backup predates. Refused, with nothing changed, when `file` is not an
 * avlog state backup or holds migrations this avlog does not know.
 */
export async function restoreState(db: StateDb, file: string): Promise<BackupInfo> {
  const source = path.resolve(file);
  if (!fs.existsSync(source)) throw new StateError(`no backup at ${source}`);
  const known = new Set(db.migrations.map((m) => m.id));
  const migrations = await db.session(async (s) => {
    try {
      await s.run(`ATTACH ${sqlText(source)} AS avlog_restore (READ_ONLY)`);
    } catch (e) {
      throw new StateError(`${source} is not a DuckDB database: ${(e as Error).message}`);
    }
    try {
      const history = await s.all(
        "SELECT 1 FROM duckdb_tables() WHERE database_name = 'avlog_restore' AND table_name = 'schema_migrations'",
      );
      if (!history.length)
        throw new StateError(`${source} is not an avlog state backup: it has no schema_migrations table`);
      const ids = await appliedMigrations(s, 'avlog_restore');
      const unknown = ids.filter((id) => !known.has(id));
      if (unknown.length)
        throw new StateError(
          `${source} has migration(s) ${unknown.join(', ')} that this avlog does not know (a newer version's backup)`,
        );
      const current = await currentDatabase(s);
      await s.run('BEGIN TRANSACTION');
      try {
        for (const drop of await userObjects(s, current)) await s.run(drop);
        await s.run(`COPY FROM DATABASE avlog_restore TO ${ident(current)}`);
        await s.run('COMMIT');
      } catch (e) {
        await s.run('ROLLBACK');
        throw new StateError(`restoring ${source} failed, the state database is unchanged: ${(e as Error).message}`);
      }
      return ids;
    } finally {
      await s.run('DETACH avlog_restore');
    }
  });
  const applied = await db.migrate();
  return { file: source, bytes: fs.statSync(source).size, migrations: [...migrations, ...applied] };
}
