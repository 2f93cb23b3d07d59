import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LakeDb } from '../../services/api/lake/lake-db.js';
import { query, tempDir } from '../helpers/lake.js';

const { dir, cleanup } = tempDir('avlog-mirror-');
let first: LakeDb | undefined;
afterAll(() => {
  first?.close();
  cleanup();
});
const dataDir = path.join(dir, 'data');
const partition = (date: string, company: string) => path.join(dataDir, 'lake', 'events', `date=${date}`, `company=${company}`);

/** Writes a real events Parquet file of `n` events (only some columns: the others read as NULL). */
async function writeEvents(date: string, company: string, file: string, n: number, kind = 'collision'): Promise<void> {
  const dir = partition(date, company);
  fs.mkdirSync(dir, { recursive: true });
  const out = path.join(dir, file).replaceAll("'", "''");
  await query(`COPY (SELECT 'e-' || '${file}' || '-' || i AS event_id, '${kind}' AS kind, TIMESTAMPTZ '${date} 10:00:00+08' + i * INTERVAL 1 SECOND AS ts,
      'v1' AS vehicle_id, '${company}' AS company_id FROM range(${n}) t(i)) TO '${out}' (FORMAT parquet)`);
}

async function counts(db: LakeDb): Promise<Record<string, number>> {
  const rows = await db.all(`SELECT company || ' ' || date::VARCHAR AS k, count(*) AS n FROM events GROUP BY 1 ORDER BY 1`);
  return Object.fromEntries(rows.map((r) => [String(r.k), Number(r.n)]));
}

describe('in-memory copy of the events (many small files)', () => {
  it('follows files added to and removed from partition folders, query by query', async () => {
    const db = (first = await LakeDb.open(dataDir));
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
    await db1.saveMirrors();
    db1.close();
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
      db.close();
    }
    await writeEvents('2026-09-02', 'b', 'part-0000000000000003-0.parquet', 4, 'traffic_violation');
    fs.writeFileSync(path.join(dataDir, 'cache', 'mirror-events.parquet'), 'not parquet either');
    const again = await LakeDb.open(dataDir);
    try {
      expect(await counts(again)).toEqual({ 'a 2026-09-01': 3, 'b 2026-09-02': 4 });
    } finally {
      again.close();
    }
  });
});
