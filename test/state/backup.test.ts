import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { backupState, restoreState } from '../../services/state/backup.js';
import type { Migration } from '../../services/state/migrations.js';
import { statePaths } from '../../services/state/paths.js';
import { StateDb } from '../../services/state/state-db.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/lake.js';

const NOTES: Migration[] = [
  {
    id: 'notes-1',
    sql: "CREATE SEQUENCE note_ids; CREATE TABLE notes (id BIGINT DEFAULT nextval('note_ids'), text VARCHAR)",
  },
  {
    id: 'notes-2',
    sql: 'CREATE TABLE tags (note BIGINT, tag VARCHAR); CREATE VIEW tagged AS SELECT * FROM notes JOIN tags ON note = id',
  },
];

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function opened(migrations: readonly Migration[] = NOTES, dataDir = fresh()): Promise<StateDb> {
  const db = await StateDb.open(dataDir, { migrations });
  cleanups.push(() => db.close());
  return db;
}

function fresh(): string {
  const { dir, cleanup } = tempDir('avlog-state-');
  cleanups.push(cleanup);
  return dir;
}

const texts = async (db: StateDb) =>
  (await db.all('SELECT id, text FROM notes ORDER BY id')).map((r) => `${r.id}:${r.text}`);

describe('state backup and restore', () => {
  it('restores what the backup held, in place of later changes; ids continue where the backup left them', async () => {
    const db = await opened();
    await db.run("INSERT INTO notes (text) VALUES ('a'), ('b')");
    const file = path.join(fresh(), 'nightly', 'state.duckdb');
    const info = await backupState(db, file);
    expect(info).toMatchObject({ file, migrations: ['notes-1', 'notes-2'] });
    expect(info.bytes).toBeGreaterThan(0);
    await db.run("INSERT INTO notes (text) VALUES ('after')");
    await db.run("DELETE FROM notes WHERE text = 'a'");
    await restoreState(db, file);
    expect(await texts(db)).toEqual(['1:a', '2:b']);
    await db.run("INSERT INTO notes (text) VALUES ('c')");
    expect(await texts(db)).toEqual(['1:a', '2:b', '3:c']);
    expect(await db.all('SELECT text FROM tagged')).toEqual([]);
  });

  it('brings an older backup up to the current schema', async () => {
    const old = await opened(NOTES.slice(0, 1));
    await old.run("INSERT INTO notes (text) VALUES ('old')");
    const file = path.join(fresh(), 'old.duckdb');
    await backupState(old, file);
    const db = await opened();
    const info = await restoreState(db, file);
    expect(info.migrations).toEqual(['notes-1', 'notes-2']);
    expect(await texts(db)).toEqual(['1:old']);
    expect(await db.all('SELECT count(*) AS n FROM tags')).toEqual([{ n: 0 }]);
  });

  it('refuses what is not a backup it can read, changing nothing', async () => {
    const db = await opened();
    await db.run("INSERT INTO notes (text) VALUES ('mine')");
    const dir = fresh();
    const text = path.join(dir, 'notes.txt');
    fs.writeFileSync(text, 'not a database');
    await expect(restoreState(db, text)).rejects.toThrow(/notes\.txt is not a DuckDB database/u);
    const other = await opened([{ id: 'x-1', sql: 'CREATE TABLE x (a INT)' }]);
    await backupState(other, path.join(dir, 'other.duckdb'));
    await expect(restoreState(db, path.join(dir, 'other.duckdb'))).rejects.toThrow(
      /other\.duckdb has migration\(s\) x-1 that this avlog does not know/u,
    );
    await expect(restoreState(db, path.join(dir, 'missing.duckdb'))).rejects.toThrow(/no backup at .*missing/u);
    expect(await texts(db)).toEqual(['1:mine']);
  });

  it('`avlog state backup|restore` work on the file, keep the replaced contents, and say who holds a busy file', async () => {
    const dataDir = fresh();
    const file = path.join(fresh(), 'b.duckdb');
    const backup = await runCli(['state', 'backup', file, '--data', dataDir, '--json']);
    expect(backup.stderr).toBe('');
    expect(JSON.parse(backup.stdout)).toMatchObject({ file });
    const restore = await runCli(['state', 'restore', file, '--data', dataDir]);
    expect(restore.code).toBe(0);
    expect(restore.stdout).toMatch(
      /restored the state database from .*b\.duckdb .*previous contents are in .*before-restore-/u,
    );
    expect(fs.readdirSync(statePaths(dataDir).dir).some((f) => /^before-restore-.*\.duckdb$/u.test(f))).toBe(true);
    const held = await StateDb.open(dataDir);
    cleanups.push(() => held.close());
    const busy = await runCli(['state', 'restore', file, '--data', dataDir]);
    expect(busy.code).toBe(1);
    expect(busy.stderr).toContain(`held by another process (pid ${process.pid})`);
  });
});
