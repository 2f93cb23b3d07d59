import { StateError } from './errors.js';
import type { Migration } from './migrations.js';
import type { StateSession } from './state-db.js';

const HISTORY = `CREATE TABLE IF NOT EXISTS schema_migrations (
  id VARCHAR PRIMARY KEY,
  applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
)`;

/** The ids recorded in `schema_migrations`, in the order they were applied. */
export async function appliedMigrations(s: StateSession, database = ''): Promise<string[]> {
  const table = database ? `"${database}".schema_migrations` : 'schema_migrations';
  return (await s.all(`SELECT id FROM ${table} ORDER BY applied_at, id`)).map((r) => String(r.id));
}

/**
 * Applies the migrations not yet recorded, each in its own transaction with its `schema_migrations` row, so a
 * failing step leaves the database as the step before left it. A recorded id this avlog does not know means a
 * newer avlog wrote the file: refused rather than run against a schema it cannot read.
 */
export async function migrate(s: StateSession, file: string, migrations: readonly Migration[]): Promise<string[]> {
  const ids = new Set<string>();
  for (const m of migrations) {
    if (ids.has(m.id)) throw new StateError(`migration id "${m.id}" is declared twice`);
    ids.add(m.id);
  }
  await s.run(HISTORY);
  const applied = new Set(await appliedMigrations(s));
  const unknown = [...applied].filter((id) => !ids.has(id));
  if (unknown.length)
    throw new StateError(
      `the state database ${file} has migration(s) ${unknown.join(', ')} that this avlog does not know: ` +
        'it was written by a newer version; run that version, or restore a backup made by this one',
    );
  const done: string[] = [];
  for (const m of migrations) {
    if (applied.has(m.id)) continue;
    await s.run('BEGIN TRANSACTION');
    try {
      await s.run(m.sql);
      await s.run('INSERT INTO schema_migrations (id) VALUES ($id)', { id: m.id });
      await s.run('COMMIT');
    } catch (e) {
      await s.run('ROLLBACK');
      throw new StateError(`state migration "${m.id}" failed on ${file}: ${(e as Error).message}`);
    }
    // DuckDB 1.5 cannot replay some DDL from its WAL (an ALTER TABLE … ADD COLUMN on a table with a nextval()
    // default fails with "no default database set"): a schema change goes into the file at once, not the WAL.
    await s.run('CHECKPOINT');
    done.push(m.id);
  }
  return done;
}
