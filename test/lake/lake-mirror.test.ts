import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LakeDb } from '../../services/lake/lake-db.js';
import { query, tempDir } from '../helpers/lake.js';

const { dir, cleanup } = tempDir('avlog-mirror-');
let first: LakeDb | undefined;
afterAll(async () => {
  await first?.close();
  cleanup();
});
const dataDir = path.join(dir, 'data');
const partition = (date: string, company: string, root = dataDir) =>
  path.join(root, 'lake', 'events', `date=${date}`, `company=${company}`);

/** Writes a real events Parquet file of `n` events (only some columns: the others read as NULL). */
async function writeEvents(
  date: string,
  company: string,
  file: string,
  n: number,
  kind = 'collision',
  root = dataDir,
): Promise<void> {
  const dir = partition(date, company, root);
  fs.mkdirSync(dir, { recursive: true });
  const out = path.join(dir, file).replaceAll("'", "''");
  await query(`COPY (SELECT 'e-' || '${file}' || '-' || i AS event_id, '${kind}' AS kind, TIMESTAMPTZ '${date} 10:00:00+08' + i * INTERVAL 1 SECOND AS ts,
      'v1' AS vehicle_id, '${company}' AS company_id FROM range(${n}) t(i)) TO '${out}' (FORMAT parquet)`);
}

async function counts(db: LakeDb): Promise<Record<string, number>> {
  const rows = await db.all(
    `SELECT company || ' ' || date::VARCHAR AS k, count(*) AS n FROM events GROUP BY 1 ORDER BY 1`,
  );
  return Object.fromEntries(rows.map((r) => [String(r.k), Number(r.n)]));
}

describe('in-memory copy of the events (many small files)', () => {
  it('follows files added to and removed from partition folders, query by query', async () => {
    const db = (first = await LakeDb.open(dataDir, { mirror: { scanEveryMs: 0 } }));
    {
      expect(await counts(db)).toEqual({});
      await writeEvents('2026-09-01', 'a', 'part-0000000000000001-0.parquet', 3);
      expect(await counts(db)).toEqual({ 'a 2026-09-01': 3 });
      await writeEvents('2026-09-01', 'a', 'part-0000000000000002-0.parquet', 2);
      await writeEvents('2026-09-02', 'b', 'part-0000000000000003-0.parquet', 4, 'traffic_violation');
      expect(await counts(db)).toEqual({ 'a 2026-09-01': 5, 'b 2026-09-02': 4 });
      fs.rmSync(path.join(partition('2026-09-01', 'a'), 'part-0000000000000001-0.parquet'));
      expect(await counts(db)).toEqual({ 'a 2026-09-01': 2, 'b 2026-09-02': 4 });
      // Columns the files lack read as NULL; the view has the declared types.
      const [row] = await db.all(`SELECT kind, severity, typeof(ts) AS t FROM events WHERE company = 'b' LIMIT 1`);
      expect(row).toEqual({ kind: 'traffic_violation', severity: null, t: 'TIMESTAMP WITH TIME ZONE' });
    }
  });

  it('a new process starts from the saved copy, reloading only folders changed since; a damaged copy is ignored', async () => {
    const db1 = first;
    if (!db1) throw new Error('the first test opens the lake');
    // Folders written a moment ago are not proven clean (see the racy-mtime test) and would be saved as to reload.
    for (const [d, c] of [
      ['2026-09-01', 'a'],
      ['2026-09-02', 'b'],
    ] as const)
      fs.utimesSync(partition(d, c), new Date(Date.now() - 3_600_000), new Date(Date.now() - 3_600_000));
    expect(await counts(db1)).toEqual({ 'a 2026-09-01': 2, 'b 2026-09-02': 4 });
    await db1.saveMirrors();
    await db1.close();
    first = undefined;
    expect(fs.existsSync(path.join(dataDir, 'cache', 'mirror-events.parquet'))).toBe(true);
    // A file overwritten in place leaves its folder's mtime alone (the lake never does this): a process that starts
    // from the saved copy does not read it again — proof the copy was used.
    const b = path.join(partition('2026-09-02', 'b'), 'part-0000000000000003-0.parquet');
    fs.writeFileSync(b, 'not parquet');
    // A folder changed after the copy was saved is reloaded.
    await writeEvents('2026-09-01', 'a', 'part-0000000000000004-0.parquet', 1);
    const db = await LakeDb.open(dataDir);
    try {
      expect(await counts(db)).toEqual({ 'a 2026-09-01': 3, 'b 2026-09-02': 4 });
    } finally {
      await db.close();
    }
    await writeEvents('2026-09-02', 'b', 'part-0000000000000003-0.parquet', 4, 'traffic_violation');
    fs.writeFileSync(path.join(dataDir, 'cache', 'mirror-events.parquet'), 'not parquet either');
    const again = await LakeDb.open(dataDir);
    try {
      expect(await counts(again)).toEqual({ 'a 2026-09-01': 3, 'b 2026-09-02': 4 });
    } finally {
      await again.close();
    }
  });

  it('a folder changed again within its mtime tick after a sync is still reloaded, in this process and the next', async () => {
    const root = path.join(dir, 'racy');
    await writeEvents('2026-09-03', 'c', 'part-0000000000000001-0.parquet', 1, 'collision', root);
    const folder = partition('2026-09-03', 'c', root);
    // The commit and the next one land in the same mtime tick: the folder's mtime is the same after both.
    const tick = new Date(Date.now() + 500);
    fs.utimesSync(folder, tick, tick);
    const db = await LakeDb.open(path.join(root), { mirror: { scanEveryMs: 0 } });
    try {
      expect(await counts(db)).toEqual({ 'c 2026-09-03': 1 });
      await writeEvents('2026-09-03', 'c', 'part-0000000000000002-0.parquet', 2, 'collision', root);
      fs.utimesSync(folder, tick, tick);
      expect(await counts(db)).toEqual({ 'c 2026-09-03': 3 });
      await db.saveMirrors();
    } finally {
      await db.close();
    }
    // The saved copy does not vouch for that folder either.
    await writeEvents('2026-09-03', 'c', 'part-0000000000000003-0.parquet', 4, 'collision', root);
    fs.utimesSync(folder, tick, tick);
    const next = await LakeDb.open(root);
    try {
      expect(await counts(next)).toEqual({ 'c 2026-09-03': 7 });
    } finally {
      await next.close();
    }
  });

  it('scans the folders at most every scanEveryMs, at once after refresh() (an ingest by this process)', async () => {
    const root = path.join(dir, 'throttled');
    await writeEvents('2026-09-04', 'd', 'part-0000000000000001-0.parquet', 1, 'collision', root);
    const db = await LakeDb.open(root, { mirror: { scanEveryMs: 3_600_000 } });
    try {
      expect(await counts(db)).toEqual({ 'd 2026-09-04': 1 });
      await writeEvents('2026-09-04', 'd', 'part-0000000000000002-0.parquet', 2, 'collision', root);
      expect(await counts(db)).toEqual({ 'd 2026-09-04': 1 });
      await db.refresh();
      expect(await counts(db)).toEqual({ 'd 2026-09-04': 3 });
    } finally {
      await db.close();
    }
  });

  it('saves the copy on close(), for the next process', async () => {
    const root = path.join(dir, 'closed');
    await writeEvents('2026-09-05', 'e', 'part-0000000000000001-0.parquet', 2, 'collision', root);
    const db = await LakeDb.open(root);
    expect(await counts(db)).toEqual({ 'e 2026-09-05': 2 });
    await db.close();
    expect(fs.existsSync(path.join(root, 'cache', 'mirror-events.parquet'))).toBe(true);
  });

  it('a table above maxRows is read from its files: same rows, and partition values keep their text', async () => {
    const root = path.join(dir, 'bounded');
    // A valid company id that a Hive read with type inference turns into a DATE (2026-09-01).
    await writeEvents('2026-09-06', '2026-9-1', 'part-0000000000000001-0.parquet', 3, 'collision', root);
    await writeEvents('2026-09-07', '2026-9-1', 'part-0000000000000002-0.parquet', 2, 'collision', root);
    const mirrored = await LakeDb.open(root, { mirror: { scanEveryMs: 0 } });
    const small = await LakeDb.open(root, { mirror: { scanEveryMs: 0, maxRows: 4 } });
    const mirrorTables = async (db: LakeDb) =>
      (await db.all(`SELECT table_name FROM duckdb_tables() WHERE table_name LIKE 'mirror_%' ORDER BY 1`)).map(
        (r) => r.table_name,
      );
    try {
      const want = { '2026-9-1 2026-09-06': 3, '2026-9-1 2026-09-07': 2 };
      expect(await counts(mirrored)).toEqual(want);
      expect(await mirrorTables(mirrored)).toEqual(['mirror_events', 'mirror_rollup']);
      expect(await counts(small)).toEqual(want);
      expect(await mirrorTables(small)).toEqual(['mirror_rollup']);
      const [view] = await small.all(`SELECT sql FROM duckdb_views() WHERE view_name = 'events'`);
      expect(String(view?.sql)).toContain('read_parquet');
      // New files keep showing up once the table is read from its files; "-0" would read as the BIGINT 0.
      await writeEvents('2026-09-08', '-0', 'part-0000000000000003-0.parquet', 1, 'collision', root);
      expect(await counts(small)).toEqual({ ...want, '-0 2026-09-08': 1 });
      expect(await counts(mirrored)).toEqual({ ...want, '-0 2026-09-08': 1 });
    } finally {
      await mirrored.close();
      await small.close();
    }
  });
});
