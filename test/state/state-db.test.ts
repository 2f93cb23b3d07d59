import fs from 'node:fs';
import { spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { StateBusyError, StateError } from '../../services/state/errors.js';
import type { Migration } from '../../services/state/migrations.js';
import { statePaths } from '../../services/state/paths.js';
import { StateDb } from '../../services/state/state-db.js';
import { tempDir } from '../helpers/lake.js';

const NOTES: Migration[] = [
  {
    id: 'notes-1',
    sql: "CREATE SEQUENCE note_ids; CREATE TABLE notes (id BIGINT DEFAULT nextval('note_ids'), text VARCHAR NOT NULL)",
  },
  { id: 'notes-2', sql: 'ALTER TABLE notes ADD COLUMN author VARCHAR' },
];

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function opened(dataDir: string, migrations: readonly Migration[] = NOTES): Promise<StateDb> {
  const db = await StateDb.open(dataDir, { migrations });
  cleanups.push(() => db.close());
  return db;
}

function fresh(): string {
  const { dir, cleanup } = tempDir('avlog-state-');
  cleanups.push(cleanup);
  return dir;
}

/** Opens the state database from another process; returns what it printed. */
function openElsewhere(dataDir: string): string {
  const code = `import('./services/state/state-db.ts').then(async ({ StateDb }) => {
    const db = await StateDb.open(${JSON.stringify(dataDir)}, { migrations: ${JSON.stringify(NOTES)} });
    await db.close();
    console.log('opened');
  }).catch((e) => console.log(e.name + ': ' + e.message));`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', code], { encoding: 'utf8' });
  return r.stdout.trim() || r.stderr;
}

describe('state database', () => {
  it('is a DuckDB file under <data>/state, brought to the declared schema and recorded in schema_migrations', async () => {
    const dataDir = fresh();
    const db = await opened(dataDir);
    expect(db.file).toBe(statePaths(dataDir).file);
    expect(fs.existsSync(db.file)).toBe(true);
    expect(fs.statSync(statePaths(dataDir).dir).mode & 0o777).toBe(0o700);
    await db.run("INSERT INTO notes (text, author) VALUES ('a', 'me')");
    expect(await db.all('SELECT id, text, author FROM notes')).toEqual([{ id: 1, text: 'a', author: 'me' }]);
    expect((await db.all('SELECT id FROM schema_migrations ORDER BY applied_at')).map((r) => r.id)).toEqual([
      'notes-1',
      'notes-2',
    ]);
  });

  it('applies only the migrations a file lacks, keeping its rows', async () => {
    const dataDir = fresh();
    const first = await StateDb.open(dataDir, { migrations: NOTES.slice(0, 1) });
    await first.run("INSERT INTO notes (text) VALUES ('kept')");
    await first.close();
    const db = await opened(dataDir);
    expect(await db.migrate()).toEqual([]);
    expect(await db.all('SELECT text, author FROM notes')).toEqual([{ text: 'kept', author: null }]);
  });

  it('rolls a failing migration back whole and names it', async () => {
    const dataDir = fresh();
    const broken: Migration = { id: 'notes-3', sql: 'CREATE TABLE tags (t VARCHAR); SELECT * FROM no_such_table' };
    await expect(StateDb.open(dataDir, { migrations: [...NOTES, broken] })).rejects.toThrow(
      /state migration "notes-3" failed on .*avlog\.duckdb: .*no_such_table/u,
    );
    const db = await opened(dataDir);
    expect(await db.all("SELECT table_name FROM duckdb_tables() WHERE table_name = 'tags'")).toEqual([]);
    expect((await db.all('SELECT id FROM schema_migrations')).map((r) => r.id).sort()).toEqual(['notes-1', 'notes-2']);
  });

  it('refuses a file written by a newer avlog, and a list that declares an id twice', async () => {
    const dataDir = fresh();
    await (await StateDb.open(dataDir, { migrations: NOTES })).close();
    await expect(StateDb.open(dataDir, { migrations: NOTES.slice(0, 1) })).rejects.toThrow(
      /has migration\(s\) notes-2 that this avlog does not know: it was written by a newer version/u,
    );
    await expect(StateDb.open(fresh(), { migrations: [NOTES[0] as Migration, NOTES[0] as Migration] })).rejects.toThrow(
      /"notes-1" is declared twice/u,
    );
  });

  it('has one owner per process: a second open here is refused, another process is told who holds it', async () => {
    const dataDir = fresh();
    const db = await opened(dataDir);
    await expect(StateDb.open(dataDir, { migrations: NOTES })).rejects.toThrow(/already open in this process/u);
    const refused = openElsewhere(dataDir);
    expect(refused).toContain('StateBusyError');
    expect(refused).toContain(`held by another process (pid ${process.pid})`);
    expect(new StateBusyError(db.file, process.pid)).toBeInstanceOf(StateError);
    await db.close();
    expect(openElsewhere(dataDir)).toBe('opened');
  });

  it('runs each transaction alone and rolls back one that throws', async () => {
    const db = await opened(fresh());
    // Each reads the count and writes the next number: interleaved, two would write the same number.
    const bump = () =>
      db.transaction(async (s) => {
        const [row] = await s.all('SELECT count(*) AS n FROM notes');
        await s.run('INSERT INTO notes (text) VALUES ($t)', { t: String(Number(row?.n) + 1) });
      });
    await Promise.all(Array.from({ length: 6 }, bump));
    const failing = db.transaction(async (s) => {
      await s.run("INSERT INTO notes (text) VALUES ('lost')");
      throw new Error('changed my mind');
    });
    await expect(failing).rejects.toThrow('changed my mind');
    const texts = (await db.all('SELECT text FROM notes ORDER BY id')).map((r) => r.text);
    expect(texts).toEqual(['1', '2', '3', '4', '5', '6']);
  });
});
